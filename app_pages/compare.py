"""Compare: the company's scenarios side by side, and what moves CPSU.

The page is drawn by cpsu.ui.compare_page, one fragment; this file only
calls it, so that the server (and AppTest) has little to compile per run.
"""

from cpsu.ui.compare_page import compare_view

compare_view()
