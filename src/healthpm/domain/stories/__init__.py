"""Story bank core: STAR parsing, competency and question tagging, gaps. Pure."""
