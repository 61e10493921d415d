"""`python -m app` runs the same command line as `lienthong`."""

from app.cli import main

raise SystemExit(main())
