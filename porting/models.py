"""Mirror models for this domain (see its issue)."""
