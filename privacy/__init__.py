"""medshare's privacy core: what may leave, for whom, and in what form.

Field-level encryption to insurers (``crypto``, ``keys``; the insurer-side ``sdk``), keyed
pseudonyms (``pseudonym``), generalisation of quasi-identifiers (``generalise``), sharing
agreements, the consent registry and free-text de-identification (``deid``). Submodules are
imported explicitly; this package imports nothing at import time.
"""
