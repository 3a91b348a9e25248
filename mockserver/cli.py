"""``mockserver serve``: start the mock server; the URL it listens on is printed alone on one line."""

from __future__ import annotations

import argparse
import ipaddress
import sys
from pathlib import Path

from mockserver import __version__
from mockserver.options import parse_pairs
from mockserver.vendor import REGISTRY
from mockserver.settings import Settings


def port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is no TCP port: 0 (any free one) to 65535")
    return int(text)


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mockserver", description="taskmock: mock task-attachment APIs")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="start the mock server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=port, default=8000, help="0 picks a free port")
    serve.add_argument("--vendor", action="append", choices=list(REGISTRY), dest="vendors",
                       help="serve only this vendor (repeatable; default: all)")
    serve.add_argument("--fixtures", type=Path, help="a JSON fixture file; its vendor sections replace the defaults")
    serve.add_argument("--seed", type=int, default=0, help="seed of the fake names, titles and e-mails")
    serve.add_argument("--journal-size", type=int, default=1000, help="requests the journal keeps; 0 switches it off")
    serve.add_argument("--max-body-mb", type=int, default=64, metavar="MiB",
                       help="the largest body read whole: JSON, forms, plain multipart fields (default 64)")
    serve.add_argument("--max-upload-mb", type=int, default=2048, metavar="MiB",
                       help="the largest body of any kind; uploads stream to disk (default 2048)")
    serve.add_argument("--admin-token", metavar="TOKEN",
                       help="/__admin/* answers only requests with Authorization: Bearer TOKEN (health, the "
                            "dashboard's page and the API documents aside; open the dashboard as /__admin/#token=TOKEN)")
    serve.add_argument("--keep-ids", action="store_true",
                       help="a reset goes on counting ids instead of handing out the same ones again")
    serve.add_argument("--tls", action="store_true",
                       help="serve HTTPS with a certificate from a throw-away CA; its file is printed after the URL")
    serve.add_argument("--set", action="append", default=[], metavar="VENDOR.KEY=VALUE", dest="options",
                       help="a vendor switch, e.g. toggl.quota_enforced=true (VALUE is JSON, or else a string); "
                            "`mockserver options` lists them")
    serve.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    sub.add_parser("options", help="list every vendor switch that --set and PATCH /__admin/options take")
    check = sub.add_parser("check", help="check a fixture file as --fixtures would, and say what is wrong")
    check.add_argument("file", type=Path)
    sub.add_parser("fixtures", help="print the default fixtures, to start a file of your own from")
    return p


def check_fixtures(path: Path) -> int:
    """One line: the file is good, or what is wrong with it (exit 2)."""
    from mockserver.app import create_app

    try:
        create_app(Settings(fixtures=path)).state.runtime.blobs.close()
    except (OSError, ValueError) as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2
    print(f"{path}: good")
    return 0


def print_fixtures() -> int:
    from mockserver.fixtures import data_dir

    print((data_dir("fixtures") / "default.json").read_text(encoding="utf-8"), end="")
    return 0


def list_options() -> int:
    from mockserver.vendor import load

    for vendor in load():
        for option in vendor.options:
            print(f"{vendor.name}.{option.describe()}")
    return 0


def main(argv: list[str] | None = None) -> int:
    cli = parser()
    args = cli.parse_args(argv)
    if args.command == "options":
        return list_options()
    if args.command == "check":
        return check_fixtures(args.file)
    if args.command == "fixtures":
        return print_fixtures()
    try:
        options = parse_pairs(args.options)
    except ValueError as exc:
        cli.error(f"--set {exc}")
    settings = Settings(host=args.host, port=args.port, vendors=tuple(args.vendors or ()), fixtures=args.fixtures,
                        seed=args.seed, journal_size=max(args.journal_size, 0), extra=options, tls=args.tls,
                        keep_ids=args.keep_ids, admin_token=args.admin_token,
                        max_body=args.max_body_mb * 1024 * 1024, max_upload=args.max_upload_mb * 1024 * 1024)
    from mockserver.app import create_app
    from mockserver.server import bind_socket, configure_logging, make_server, url_of

    configure_logging(args.log_level)
    if not is_loopback(settings.host):
        print(f"mockserver: warning: --host {settings.host} serves the mock to other machines; the admin API "
              f"shows every credential and can wipe the mock"
              + ("" if settings.admin_token else ": protect it with --admin-token"), file=sys.stderr)
    try:
        app = create_app(settings)
    except (OSError, ValueError) as exc:
        print(f"mockserver: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind_socket(settings.host, settings.port)
    except OSError as exc:
        app.state.runtime.blobs.close()             # nothing is left behind by a start that failed
        print(f"mockserver: {settings.host}:{settings.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    tls = None
    if settings.tls:
        from mockserver.tls import make_certificates
        tls = make_certificates()
    url = url_of(sock, "https" if tls else "http")

    def ready(loop) -> None:
        print(url, flush=True)
        if tls:
            print(f"REQUESTS_CA_BUNDLE={tls.ca}", flush=True)

    try:
        make_server(app, settings, ready, args.log_level, tls, freeze_heap=True).run(sockets=[sock])
    finally:
        if tls:
            tls.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
