"""`python -m policykit`."""

from policykit.cli import main

raise SystemExit(main())
