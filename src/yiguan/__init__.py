"""yiguan (议管): records, rules and minutes for residents' councils (居民议事会)."""

__version__ = "0.1.0"
