"""Pitch: the funding case in presentation mode, with every download.

The page is drawn by cpsu.ui.pitch_page; this file only calls it, so that
the server (and AppTest) has little to compile per run.
"""

from cpsu.ui.pitch_page import pitch_page

pitch_page()
