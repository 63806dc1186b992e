"""Settings for Eye Contact: ``base`` shared, then ``development``, ``test`` and ``production``."""
