import sys

from ui.main import run_gui

sys.exit(run_gui(sys.argv[1:]))
