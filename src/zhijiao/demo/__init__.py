"""Demo data for `zhijiao demo` and `zhijiao seed`: generators and the data files they read (not a Django app)."""
