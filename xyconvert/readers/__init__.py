"""Input readers: each turns one kind of input into ``SourcePage`` lists for repair.

Readers import their heavy dependencies lazily (``xyconvert --help`` must start fast).
"""

from __future__ import annotations
