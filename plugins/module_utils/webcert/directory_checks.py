"""Judges of the directory (HSA) check types: evidence is directory entries read with ldap3."""
