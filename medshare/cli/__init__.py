"""The ``medshare`` command line: a thin layer over the packages' Python APIs."""
