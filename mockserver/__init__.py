"""taskmock: one mock server for the task-attachment APIs of five task-management vendors.

The shared machinery lives beside the vendors, one noun per module:

- ``app``        the app factory (``create_app``) and the runtime every handler reaches;
- ``settings``   what a server is started with (CLI flags, pytest fixtures);
- ``vendors``    the registry of vendor sub-packages and the ``Vendor`` shape each one exports;
- ``store``      per-vendor state, built from fixtures and reset to them;
- ``fixtures``   fixture files and the seeded fake data that fills their gaps;
- ``blobs``      the on-disk blob store that holds uploaded bytes;
- ``multipart``  streaming ``multipart/form-data`` straight into the blob store;
- ``downloads``  serving stored bytes back;
- ``contracts``  JSON Schema contracts, compiled once at start;
- ``jsonrpc``    a generic JSON-RPC 2.0 dispatcher;
- ``journal``    the bounded ring of received requests;
- ``admin``      the ``/__admin`` API;
- ``cli``        ``mockserver serve``;
- ``server``     uvicorn on a socket of our own, with a ready signal;
- ``tls``        the throw-away CA and certificate of the HTTPS mode;
- ``pytest_plugin``  the ``taskmock`` fixtures.

Each vendor is a sub-package of the same shape: ``routes``, ``handlers``, ``models``, ``errors``, ``render``.
"""

__version__ = "0.1.0"
