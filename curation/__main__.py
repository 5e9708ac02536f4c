"""``python -m curation …`` (see ``curation.cli``)."""

import sys

from curation.cli import main

sys.exit(main())
