"""Domain stores and their SOAP handlers. `dids` is always present; e911, porting and
messaging are optional modules (see portal/sandbox/README.md)."""
