import sys

from offer_tui.cli import main

sys.exit(main())
