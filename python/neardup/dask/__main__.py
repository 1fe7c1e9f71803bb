"""`python3 -m neardup.dask dedup ...`: see neardup.dask._command."""
import sys

from neardup.dask._command import main

sys.exit(main())
