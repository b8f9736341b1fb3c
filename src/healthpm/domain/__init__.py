"""The pure core: plain domain objects and functions, no storage, web or CLI imports."""
