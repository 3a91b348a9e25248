"""taskmock: one mock server for the task-attachment APIs of five task-management vendors.

The shared machinery lives beside the vendors, one noun per module:

- ``app``        the app factory (``create_app``) and the runtime every handler reaches;
- ``settings``   what a server is started with (CLI flags, pytest fixtures);
- ``vendor``     the registry of vendor sub-packages and what each exports: a ``Vendor`` with its table of
                 ``Operation`` rows and its ``Wire``; ``VendorError``, the base of every vendor's errors;
- ``pipeline``   the one pipeline around every handler: request to call, result or error to answer, and a
                 crash of the mock logged, journaled and answered as the vendor's internal error;
- ``http``       the request as a handler sees it (``Inbound``), Bearer/Basic, media type, bounded bodies;
- ``store``      per-vendor state, built from fixtures and reset to them;
- ``fixtures``   fixture files and the seeded fake data that fills their gaps;
- ``blobs``      the on-disk blob store that holds uploaded bytes;
- ``multipart``  streaming ``multipart/form-data`` straight into the blob store;
- ``downloads``  ``Download``, the one result type of every download, and its streamed response;
- ``contracts``  JSON Schema contracts, compiled once at start;
- ``jsonrpc``    a generic JSON-RPC 2.0 dispatcher, its procedures made of an operation table;
- ``journal``    the bounded ring of received requests, with the operations each ran;
- ``faults``     fault rules a test sets: a vendor's named errors, raw answers, latency, dropped connections;
- ``options``    each vendor's switches, declared with types and defaults, changed while the server runs;
- ``clock``      the one clock every vendor reads, which a test moves forward;
- ``admin``      the ``/__admin`` API;
- ``cli``        ``mockserver serve``;
- ``server``     uvicorn on a socket of our own, with a ready signal;
- ``tls``        the throw-away CA and certificate of the HTTPS mode;
- ``pytest_plugin``  the ``taskmock`` fixtures.

Each vendor is a sub-package of the same shape: ``routes`` (only its ``OPERATIONS`` table), ``wire`` (its
dialect on the wire), ``handlers`` (no web framework in them), ``render`` (shapes), ``models`` (state),
``errors`` (``VendorError`` subclasses); ``__init__`` says what the emulation relies on and exports ``VENDOR``.
"""

__version__ = "0.1.0"
