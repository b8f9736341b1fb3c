"""Job matcher core: read a posting (text, saved page, CSV row) and match it. Pure."""
