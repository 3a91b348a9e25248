"""Certificates for the HTTPS mode: a throw-away CA and a server certificate for 127.0.0.1, ::1 and localhost,
made at start with trustme and written to a temporary directory (removed by ``close``, or by the next start
when this process was killed: ``mockserver.tempdirs``). Clients trust the CA
file: ``REQUESTS_CA_BUNDLE=<ca>`` for requests-based ones such as b24pysdk."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from mockserver import tempdirs


@dataclass(frozen=True)
class TlsFiles:
    directory: Path
    ca: Path
    certificate: Path
    key: Path

    def close(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


def make_certificates() -> TlsFiles:
    import trustme                      # imported only in HTTPS mode: it brings in cryptography

    directory = tempdirs.make("tls")
    ca = trustme.CA()
    server = ca.issue_cert("127.0.0.1", "::1", "localhost")
    files = TlsFiles(directory, directory / "ca.pem", directory / "server.pem", directory / "server.key")
    ca.cert_pem.write_to_path(str(files.ca))
    server.private_key_pem.write_to_path(str(files.key))
    with open(files.certificate, "wb") as out:
        for blob in server.cert_chain_pems:
            out.write(blob.bytes())
    return files
