"""Checks that need the whole upload: can its own scenario be projected?

Each sheet can be right on its own and the file still be unusable, for
example a planned quarter with nobody in it, or a contingent weight of zero
for a company of contractors. These checks run the upload's own scenario
and turn a refusal into an issue, so such a file is refused like any other
error and never replaces the cost base the user had.
"""

from __future__ import annotations

from cpsu.ingest.issues import Issue, Severity
from cpsu.ingest.upload import Upload, apply_upload
from cpsu.projection import ProjectionError, project
from cpsu.scenario import Workspace


def projection_issues(workspace: Workspace) -> list[Issue]:
    """An error for a workspace whose own scenario cannot be projected."""
    try:
        project(workspace.cost_base, workspace.headcount, workspace.scenario)
    except ProjectionError as problem:
        sheet = "Headcount" if problem.planned else "Assumptions"
        column = "Employees" if problem.planned else "Growth per quarter"
        if problem.sheet is not None:
            sheet, column = problem.sheet, None
        return [Issue(Severity.ERROR, str(problem), sheet=sheet, column=column)]
    return []


def checked_workspace(
    current: Workspace | None, upload: Upload, source: str
) -> tuple[Workspace | None, tuple[Issue, ...]]:
    """The workspace an upload makes, or None, with every issue found.

    None when the upload has errors or its own scenario cannot be projected.
    """
    if upload.has_errors:
        return None, upload.issues
    workspace = apply_upload(current, upload, source)
    problems = projection_issues(workspace)
    if problems:
        return None, (*upload.issues, *problems)
    return workspace, upload.issues
