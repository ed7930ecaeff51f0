"""Click sub-commands, imported lazily by ``xyconvert.cli``."""
