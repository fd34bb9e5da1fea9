"""``python -m tests.report_lint REPORT_FOLDER``."""

from . import main

raise SystemExit(main())
