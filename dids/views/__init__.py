"""The numbers pages, one module per page family (list, detail, buy, release, groups)."""
