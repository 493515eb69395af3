"""``prongsai``: serve, parse and import plans, manage users, inspect measures.

Over 400 lines on purpose: one Typer application, one short function per command, so ``--help``
and the code read in the same order.
"""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, NoReturn, Optional

import typer
from rich.console import Console
from rich.table import Table

from domain.errors import DomainError, InvalidInput
from domain.measure import Measure
from domain.people import parse_role
from domain.plan import PlanDocument
from infrastructure.bootstrap import Services, bootstrap
from infrastructure.ocds import STANDARD_SCHEMA_URL, install_release_schema
from infrastructure.plan_parser import parse_plan
from infrastructure.settings import Settings

app = typer.Typer(help="Prongsai (โปร่งใส): anti-corruption action plan workflow", no_args_is_help=True)
plan_app = typer.Typer(help="Parse and import plan documents", no_args_is_help=True)
users_app = typer.Typer(help="Users and their bearer tokens", no_args_is_help=True)
orgs_app = typer.Typer(help="Organisations (local governments)", no_args_is_help=True)
measures_app = typer.Typer(help="Inspect measures", no_args_is_help=True)
projections_app = typer.Typer(help="Read models that follow the event log", no_args_is_help=True)
reports_app = typer.Typer(help="Plan progress and delegation compliance reports", no_args_is_help=True)
app.add_typer(plan_app, name="plan")
app.add_typer(users_app, name="users")
app.add_typer(orgs_app, name="orgs")
app.add_typer(measures_app, name="measures")
app.add_typer(projections_app, name="projections")
app.add_typer(reports_app, name="reports")
ocds_app = typer.Typer(help="Open Contracting Data Standard publication", no_args_is_help=True)
app.add_typer(ocds_app, name="ocds")

out = Console()
err = Console(stderr=True, soft_wrap=True)  # a message is one line, however narrow the terminal

BUNDLED = "mukdahan-2562-2564.json"


def fail(exc: DomainError) -> NoReturn:
    err.print(f"[red]{exc.th}[/red]\n{exc.en}")
    raise typer.Exit(code=1)


def services() -> Services:
    return bootstrap(Settings())


@contextlib.contextmanager
def open_services() -> Iterator[Services]:
    """The services for one command; a refusal prints its Thai and English message and exits 1."""
    svc = services()
    try:
        yield svc
    except DomainError as exc:
        fail(exc)
    finally:
        svc.close()


def load_document(path: Path | None) -> PlanDocument:
    if path is None:
        text = resources.files("infrastructure.bundled").joinpath(BUNDLED).read_text(encoding="utf-8")
        return PlanDocument.from_json(json.loads(text))
    if path.suffix == ".json":
        return PlanDocument.from_json(json.loads(path.read_text(encoding="utf-8")))
    from infrastructure.plan_sources import read_plan_file

    return parse_plan(read_plan_file(path))


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option(help="Interface to bind")] = None,
    port: Annotated[Optional[int], typer.Option(help="TCP port")] = None,
    seed: Annotated[bool, typer.Option(help="Import the bundled plan into an empty store first")] = False,
    workers: Annotated[int, typer.Option(min=1, max=64, help="API processes (one port, shared state)")] = 1,
) -> None:
    """Serve the web application and the HTTP API (OpenAPI at /docs and /openapi.json).

    With ``--workers N`` uvicorn runs N API processes on the one port; everything they share (sessions,
    sign-in lock-out, rate limits, named locks, scheduled-job claims) lives in the store's database.
    The embedded worker (projections, schedules) then runs once, in this supervising process."""
    import uvicorn

    from infrastructure.worker import Worker
    from interface.api.app import create_app

    settings = Settings()
    svc = bootstrap(settings)
    embedded = settings.embedded_worker
    if embedded is None:
        embedded = settings.database_url.startswith("sqlite")
    worker = Worker(svc) if embedded else None
    try:
        if seed:
            result = svc.plans.import_plan(load_document(None), settings.seed_org_code)
            state = "unchanged" if result.unchanged else f"{len(result.created)} items created"
            err.print(f"bundled plan {result.org_code}/{result.plan_key}: {state}")
        if worker:
            worker.start()
        trusted = settings.trusted_proxies.strip()
        err.print(f"listening on http://{host or settings.host}:{port or settings.port}/ (Ctrl+C stops)")
        uvicorn.run(
            create_app(svc) if workers == 1 else "interface.api.app:create_app",
            factory=workers > 1,  # each process builds its own services from the same settings
            workers=workers if workers > 1 else None,
            host=host or settings.host,
            port=port or settings.port,
            log_level="warning",
            access_log=False,
            proxy_headers=bool(trusted),  # X-Forwarded-For only from the proxies named in the settings
            forwarded_allow_ips=trusted or None,
        )
    except DomainError as exc:
        fail(exc)
    finally:
        if worker:
            worker.stop()
        svc.close()


@app.command()
def worker(once: Annotated[bool, typer.Option(help="Catch up every projection, then exit")] = False) -> None:
    """Follow the log with every projection and run scheduled reports and checkpoints."""
    import signal

    from infrastructure.worker import Worker

    with open_services() as svc:
        if once:
            applied = svc.projections.catch_up()
            print_json(
                {
                    "applied": applied,
                    "positions": {n: svc.projections.position(n) for n in svc.projections.names()},
                }
            )
            return
        runner = Worker(svc)
        signal.signal(signal.SIGTERM, lambda *_: runner.stopping.set())
        runner.start()
        err.print("worker running (Ctrl-C to stop)")
        with contextlib.suppress(KeyboardInterrupt):
            runner.wait()
        runner.stop()


@projections_app.command("status")
def projections_status() -> None:
    """Each projection's position and how far it lags behind the log."""
    with open_services() as svc:
        head = svc.projections.head()
        table = Table("projection", "position", "behind")
        for name in svc.projections.names():
            position = svc.projections.position(name)
            table.add_row(name, f"{position:,}", f"{head - position:,}")
        out.print(table)


@projections_app.command("rebuild")
def projections_rebuild(name: str) -> None:
    """Drop a projection's rows and rebuild it from the first event, with a progress bar."""
    from rich.progress import Progress

    with open_services() as svc:
        found = svc.projections.resolve(name)  # its name, or one of its tables as the README lists them
        if found is None:
            err.print(f"[red]ไม่รู้จัก[/red] unknown projection '{name}' ({', '.join(svc.projections.names())})")
            raise typer.Exit(code=2)
        name = found
        with Progress(console=err) as progress:
            task = progress.add_task(f"rebuilding {name}", total=svc.projections.head() or 1)
            applied = svc.projections.rebuild(
                name, lambda position, head: progress.update(task, completed=position, total=head)
            )
        err.print(f"{name}: {applied:,} events applied")


@app.command()
def checkpoint() -> None:
    """Sign a checkpoint of the hash chain at the current head and print it (keep a copy)."""
    with open_services() as svc:
        print_json(svc.oversight.issue_checkpoint())


@app.command()
def backup(target: Annotated[Path, typer.Argument(help="A new, empty folder")]) -> None:
    """Back up the embedded store while it runs, with its key files and a manifest naming the chain head."""
    from infrastructure.backup import backup as take

    with open_services() as svc:
        svc.projections.catch_up("chain")
        head = svc.projections.chain_head()
        print_json(take(svc.settings, target, head))


@app.command()
def restore(source: Annotated[Path, typer.Argument(help="A folder made by `prongsai backup`")]) -> None:
    """Restore a backup into an empty place (the store and its key files); refuses to overwrite anything."""
    from infrastructure.backup import restore as put_back

    try:
        manifest = put_back(Settings(), source)
    except DomainError as exc:
        fail(exc)
    with open_services() as svc:
        svc.projections.catch_up("chain")
        head = svc.projections.chain_head()
        saved = manifest.get("chain_head") or {}
        if saved and (head is None or head[0] < saved["position"]):
            err.print("[red]คืนข้อมูลไม่ครบ[/red] the restored chain is shorter than the backup's")
            raise typer.Exit(code=1)
    print_json({"restored": str(source), "chain_head": saved})


@app.command("public-key")
def public_key() -> None:
    """The deployment's Ed25519 public key (PEM), for verifying checkpoints and exports offline."""
    with open_services() as svc:
        sys.stdout.write(svc.oversight.signer.public_pem)


@app.command()
def verify(
    checkpoint_file: Annotated[Optional[Path], typer.Option("--checkpoint", help="A checkpoint JSON you kept")] = None,
    export: Annotated[Optional[Path], typer.Option(help="Verify an exported log offline instead")] = None,
    key: Annotated[Optional[Path], typer.Option("--public-key", help="PEM public key (offline)")] = None,
    proof: Annotated[Optional[Path], typer.Option(help="Check a proof file offline (inclusion or consistency)")] = None,
    document: Annotated[Optional[Path], typer.Option(help="With --proof: the published file the proof is for")] = None,
) -> None:
    """Recompute the hash chain and check it against a checkpoint; exit 1 on any finding.

    With ``--proof`` nothing of the deployment is opened: the proof file, the public key and (for a
    published document) the document itself are all that is needed."""
    from application.oversight import verify_export
    from infrastructure.signing import load_public_key, signature_valid

    if proof is not None:
        result = verify_proof_file(proof, key, document)
    elif export is not None:
        if key is None or not export.is_file() or not key.is_file():
            err.print("[red]ต้องระบุไฟล์ export และ --public-key[/red] / --export FILE and --public-key FILE are required")
            raise typer.Exit(code=2)
        public = load_public_key(key.read_bytes())
        with export.open(encoding="utf-8") as lines:
            result = verify_export(lines, lambda m, s: signature_valid(public, m, s))
    else:
        with open_services() as svc:
            given = json.loads(checkpoint_file.read_text()) if checkpoint_file else None
            check = None
            if key is not None:
                public = load_public_key(key.read_bytes())
                check = lambda m, s: signature_valid(public, m, s)  # noqa: E731
            result = svc.oversight.verify(given, check)
    print_json(result)
    if not result["ok"]:
        raise typer.Exit(code=1)


def verify_proof_file(proof: Path, key: Path | None, document: Path | None) -> dict[str, Any]:
    from application.proofs import verify_proof
    from infrastructure.signing import load_public_key, signature_valid

    for path, what in ((proof, "--proof"), (key, "--public-key"), (document, "--document")):
        if what != "--document" and path is None:
            fail(InvalidInput("ต้องระบุ --proof และ --public-key", "--proof FILE and --public-key FILE are required"))
        if path is not None and not path.is_file():
            fail(InvalidInput(f"ไม่พบไฟล์ {path}", f"{what}: no such file {path}"))
    assert key is not None  # noqa: S101 - refused above
    try:
        bundle = json.loads(proof.read_text(encoding="utf-8"))
        public = load_public_key(key.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        fail(InvalidInput("ไฟล์หลักฐานหรือกุญแจอ่านไม่ได้", f"the proof or key file is unreadable: {exc}"))
    try:
        return verify_proof(
            bundle, lambda m, s: signature_valid(public, m, s), document.read_bytes() if document else None
        )
    except DomainError as exc:
        fail(exc)


@app.command()
def prove(
    position: Annotated[Optional[int], typer.Option(help="The log position of the event to prove")] = None,
    consistency: Annotated[
        Optional[int], typer.Option(help="Prove the log only grew since checkpoint number N")
    ] = None,
    checkpoint_number: Annotated[
        Optional[int], typer.Option("--checkpoint", help="Under checkpoint number N (default: the latest)")
    ] = None,
) -> None:
    """Print a proof file: an event's inclusion under a signed checkpoint, or the consistency of two
    checkpoints. Anyone checks it with ``prongsai verify --proof FILE --public-key KEY``."""
    if (position is None) == (consistency is None):
        fail(InvalidInput("ระบุ --position หรือ --consistency อย่างใดอย่างหนึ่ง", "give --position or --consistency"))
    with open_services() as svc:
        if position is not None:
            print_json(svc.proofs.inclusion(position, checkpoint_number))
        else:
            print_json(svc.proofs.consistency(consistency or 0, checkpoint_number))


@app.command("ita-pack")
def ita_pack(
    org: Annotated[str, typer.Option("--org", help="LPAO code")],
    year: Annotated[int, typer.Option("--year", help="The ITA assessment year (BE), e.g. 2568")],
    output: Annotated[
        Optional[Path], typer.Option(help="Write the documents and their proofs into this folder")
    ] = None,
) -> None:
    """Assemble the ITA evidence pack: publish every document the year's OIT items ask for, seal them
    under a signed checkpoint and print the index (item, public URL, documents, hashes, proof links).

    With ``--output`` the folder receives the index, each document in every format, a proof file per
    document and the public key: ``prongsai verify --proof P --public-key public-key.pem --document D``
    checks each one offline."""
    if not 2500 <= year <= 2700:
        fail(InvalidInput(f"ปีการประเมิน {year} ไม่ถูกต้อง (เช่น 2568)", f"the assessment year {year} is not a BE year"))
    if output is not None and output.exists() and any(output.iterdir()):
        fail(InvalidInput(f"โฟลเดอร์ {output} ไม่ว่าง", f"{output} is not empty: give a new folder"))
    with open_services() as svc:
        index = svc.ita.assemble(org, year)
        if output is not None:
            write_pack(svc, index, output)
        print_json(index)


def write_pack(svc: Services, index: dict[str, Any], output: Path) -> None:
    """Every document as published (regenerated and checked against its recorded hash) with its proof."""
    output.mkdir(parents=True, exist_ok=True)
    (output / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    (output / "public-key.pem").write_text(svc.oversight.signer.public_pem)
    for item in index["items"]:
        folder = output / item["item"]
        folder.mkdir(exist_ok=True)
        for d in item["documents"]:
            stem = f"{d['kind']}-{d['period']}-v{d['version']}"
            for fmt in ("json", "csv", "xlsx", "pdf"):
                data = svc.reports.reproduce(index["org_code"], d["kind"], d["period"], d["version"], fmt)
                (folder / f"{stem}.{fmt}").write_bytes(data)
            proof = svc.proofs.document(index["org_code"], d["kind"], d["period"], d["version"], "pdf")
            (folder / f"{stem}.pdf.proof.json").write_text(json.dumps(proof, ensure_ascii=False, indent=1))
    err.print(f"written {output}")


@app.command("export-log")
def export_log(
    auditor: Annotated[str, typer.Option(help="Username whose organisations are exported in full")],
    output: Annotated[Path, typer.Option(help="JSON Lines file to write")],
) -> None:
    """Export the log up to the latest checkpoint as JSON Lines (verifiable offline)."""
    with open_services() as svc:
        user = svc.users.get(auditor)
        with output.open("w", encoding="utf-8") as f:
            for line in svc.oversight.export(user):
                f.write(line + "\n")
        err.print(f"written {output}")


@reports_app.command("build")
def reports_build(
    org: Annotated[str, typer.Option("--org")],
    kind: Annotated[str, typer.Option(help="plan-progress | delegation-compliance")] = "plan-progress",
    period: Annotated[str, typer.Option(help="2562-r6, 2562-r12, or YYYY-MM")] = "",
    fmt: Annotated[str, typer.Option("--format", help="json | csv | xlsx | pdf")] = "json",
    output: Annotated[Optional[Path], typer.Option(help="File to write (default: stdout for json/csv)")] = None,
) -> None:
    """Build a report from the projections without publishing it."""
    with open_services() as svc:
        data = svc.reports.render(svc.reports.build(org, kind, period), fmt)
        if output:
            output.write_bytes(data)
            err.print(f"written {output}")
        else:
            sys.stdout.buffer.write(data)


@reports_app.command("publish")
def reports_publish(
    org: Annotated[str, typer.Option("--org")],
    kind: Annotated[str, typer.Option()] = "plan-progress",
    period: Annotated[str, typer.Option()] = "",
) -> None:
    """Generate a report and record its content hash as an event."""
    with open_services() as svc:
        print_json(svc.reports.publish(org, kind, period))


@reports_app.command("schedule")
def reports_schedule(
    org: Annotated[str, typer.Option("--org")],
    entries: Annotated[
        Optional[str],
        typer.Option(help='JSON list, e.g. [{"report":"plan-progress","round":6,"cron":"0 9 10 4 *"}]'),
    ] = None,
) -> None:
    """Show (or set) an organisation's report schedule."""
    try:
        wanted = json.loads(entries) if entries is not None else None
    except json.JSONDecodeError as exc:
        err.print(f"[red]JSON ไม่ถูกต้อง[/red] invalid JSON: {exc}")
        raise typer.Exit(code=2) from None
    with open_services() as svc:
        if wanted is not None:
            svc.reports.set_schedule(None, org, wanted)
        print_json(svc.reports.schedule(org))


@ocds_app.command("schema")
def ocds_schema(
    source: Annotated[
        str, typer.Option(help="Where to take the OCDS 1.1.5 release schema from: its URL or a local file")
    ] = STANDARD_SCHEMA_URL,
) -> None:
    """Set up the OCDS release schema once (compiled records need it; requests never download it)."""
    target = Settings().ocds_schema
    try:
        schema = install_release_schema(source, target)
    except DomainError as exc:
        fail(exc)
    err.print(f"ติดตั้ง OCDS schema แล้ว / installed: {schema.get('title', 'release schema')} → {target}")


@plan_app.command("parse")
def plan_parse(path: Path) -> None:
    """Print the structured plan (organisation, fiscal_years, dimensions, measures, warnings) of a text,
    Word (.docx) or PDF file; exits 1 when it holds no plan items."""
    from infrastructure.plan_sources import read_plan_file

    if not path.is_file():
        err.print(f"[red]ไม่พบไฟล์[/red] / file not found: {path}")
        raise typer.Exit(code=2)
    document = parse_plan(read_plan_file(path))
    print_json(document.to_json())
    if not document.measures:
        err.print("ไม่พบโครงการ/กิจกรรม/มาตรการในเอกสารนี้ / no plan items found in this document")
        raise typer.Exit(code=1)


@plan_app.command("import")
def plan_import(
    path: Annotated[
        Optional[Path], typer.Argument(help="Plan file (.txt, .docx, .pdf) or structured JSON; default: bundled")
    ] = None,
    org: Annotated[str, typer.Option("--org", help="LPAO code of the organisation")] = "",
) -> None:
    """Import a plan; re-importing the same document changes nothing, a changed one is a revision."""
    if not org:
        err.print("[red]ต้องระบุ --org[/red] / --org is required")
        raise typer.Exit(code=2)
    if path is not None and not path.is_file():
        err.print(f"[red]ไม่พบไฟล์[/red] / file not found: {path}")
        raise typer.Exit(code=2)
    with open_services() as svc:
        document = load_document(path)
        result = svc.plans.import_plan(document, org)
        print_json({**result.to_json(), "warnings": len(document.warnings)})


@orgs_app.command("add")
def orgs_add(code: str, name: str) -> None:
    """Register an organisation by LPAO code and Thai name."""
    with open_services() as svc:
        organisation = svc.organisations.register(code, name)
        out.print(f"{organisation.code} {organisation.name}")


@orgs_app.command("describe")
def orgs_describe(
    code: str,
    district: Annotated[str, typer.Option(help="อำเภอ, as the national forms print it")],
    province: Annotated[str, typer.Option(help="จังหวัด")],
) -> None:
    """Record an organisation's district and province (columns of สขร.๑ and the e-Plan export)."""
    with open_services() as svc:
        profile = svc.organisations.describe(code, district, province).profile()
        out.print(" · ".join(v for v in profile.values() if v))


@orgs_app.command("list")
def orgs_list() -> None:
    with open_services() as svc:
        for organisation in svc.organisations.all():
            out.print(f"{organisation.code}\t{organisation.name}\t{', '.join(organisation.plan_keys)}")


@users_app.command("add")
def users_add(
    name: str,
    org: Annotated[list[str], typer.Option("--org", help="LPAO code (repeat for auditors)")],
    role: Annotated[str, typer.Option(help="executive|deputy|clerk|division_head|staff|auditor")],
    display_name: Annotated[str, typer.Option(help="Full name shown in the audit trail")] = "",
    position: Annotated[str, typer.Option(help="Official position (defaults from the role)")] = "",
) -> None:
    """Create a user and print its bearer token once (only a hash is stored)."""
    with open_services() as svc:
        user, token = svc.users.add(name, display_name, parse_role(role), org, position)
        err.print(f"user {user.username} ({user.role.value}, {', '.join(user.org_codes)}); token:")
        out.print(token, highlight=False, soft_wrap=True)


@users_app.command("password")
def users_password(
    name: str,
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
) -> None:
    """Set the password for signing in to the web desk (stored as an argon2 hash)."""
    with open_services() as svc:
        svc.users.set_password(name, password)
        err.print(f"password set for {name}")


@users_app.command("contact")
def users_contact(
    name: str,
    email: Annotated[str, typer.Option(help="Where notices are e-mailed (kept encrypted, outside the log)")],
    digest: Annotated[str, typer.Option(help="each|daily|weekly")] = "daily",
    lang: Annotated[str, typer.Option(help="th|en")] = "th",
) -> None:
    """Set a person's e-mail address and how often they want the notices of their inbox."""
    with open_services() as svc:
        svc.users.get(name)
        svc.mail.set_contact(name, email, digest, lang)
        err.print(f"{name}: notices by e-mail ({digest})")


@app.command("mail")
def mail(
    send: Annotated[bool, typer.Option("--send", help="Run today's reminders, queue and send now")] = False,
    drain: Annotated[bool, typer.Option("--drain", help="Only send what the outbox holds")] = False,
) -> None:
    """The outbox: what waits, what was sent, what failed (and why); ``--send`` sends now."""
    with open_services() as svc:
        if send:
            svc.reminders.run()
            svc.mail.queue()
        if send or drain:
            done = svc.mail.drain(limit=10_000)
            err.print(f"sent {done['sent']}, failed {done['failed']}")
        for row in svc.mail.store.rows():
            out.print(f"{row['state']}\t{row['attempts']}\t{row['username']}\t{row['subject']}"
                      + (f"\t{row['last_error']}" if row["last_error"] else ""), highlight=False)  # fmt: skip


@users_app.command("token")
def users_token(name: str) -> None:
    """Issue a new token (the old one stops working)."""
    with open_services() as svc:
        out.print(svc.users.issue_token(name), highlight=False, soft_wrap=True)


@users_app.command("deactivate")
def users_deactivate(name: str, note: Annotated[str, typer.Option(help="Why")] = "") -> None:
    with open_services() as svc:
        svc.users.deactivate(name, note)


@measures_app.command("list")
def measures_list(
    org: Annotated[str, typer.Option("--org")],
    year: Annotated[Optional[int], typer.Option(help="BE fiscal year")] = None,
) -> None:
    """Table of an organisation's measures with status and budget."""
    with open_services() as svc:
        table = Table("code", "FY", "status", "allocation (฿)", "name")
        for m in svc.measures.list(org, year):
            budget = m.budget_label
            table.add_row(m.code, str(m.fiscal_year), m.status.thai, budget, m.details["name"][:60])
        out.print(table)


def find_measure(svc: Services, org: str, code: str, year: int) -> Measure:
    for plan in reversed(svc.measures.plans(org)):
        measure_id = Measure.create_id(org, plan.plan_key, code, year)
        if svc.app.exists(measure_id):
            return svc.app.load(Measure, measure_id)
    raise DomainError(f"ไม่พบโครงการ {code} ปี {year} ของหน่วยงาน {org}", f"no measure {code} in FY {year} for {org}")


@measures_app.command("show")
def measures_show(
    code: str,
    org: Annotated[str, typer.Option("--org")],
    year: Annotated[int, typer.Option(help="BE fiscal year")],
) -> None:
    """A measure's current state as JSON."""
    from interface.api.schemas import measure_json

    with open_services() as svc:
        print_json(measure_json(find_measure(svc, org, code, year)))


@measures_app.command("history")
def measures_history(
    code: str,
    org: Annotated[str, typer.Option("--org")],
    year: Annotated[int, typer.Option(help="BE fiscal year")],
) -> None:
    """Every event of a measure: version, time, who, what."""
    from application.history import event_changes, event_type

    with open_services() as svc:
        measure = find_measure(svc, org, code, year)
        table = Table("v", "time (UTC)", "event", "who", "what")
        for e in svc.app.stored_events(measure.id):
            actor = getattr(e, "actor", {}) or {}
            what = json.dumps(event_changes(e), ensure_ascii=False, default=str)
            table.add_row(
                str(e.originator_version),
                e.timestamp.strftime("%Y-%m-%d %H:%M:%S"),
                event_type(e),
                f"{actor.get('name', '')} ({actor.get('role', '')})",
                what[:80],
            )
        out.print(table)


def main() -> None:
    """The CLI; an operator's mistake (a bad setting, an unreachable or unwritable store, a file that is
    not text) is one clear line and exit code 2, never a traceback."""
    try:
        app()
    except SystemExit:
        raise
    except Exception as exc:  # noqa: BLE001 - sorted below; anything else is re-raised as it is
        line = operator_error(exc)
        if line is None:
            raise
        err.print(line, markup=False, soft_wrap=True)
        raise SystemExit(2) from None


def operator_error(exc: BaseException) -> str | None:
    """One line for the mistakes an operator makes; None for a program error (kept as a traceback)."""
    import sqlite3

    from pydantic import ValidationError

    if isinstance(exc, DomainError):
        return f"{exc.th} / {exc.en}"
    if isinstance(exc, ValidationError):
        fields = ", ".join(f"PRONGSAI_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in exc.errors())
        return f"การตั้งค่าไม่ถูกต้อง / invalid setting — {fields}"
    if isinstance(exc, UnicodeDecodeError):
        return ("ไฟล์นี้ไม่ใช่ข้อความ UTF-8 (เช่น PDF หรือ Word) / the file is not UTF-8 text "
                "(a PDF or Word file?): give the plan's text form")  # fmt: skip
    if isinstance(exc, (PermissionError, IsADirectoryError, FileNotFoundError)):
        return f"ไฟล์หรือโฟลเดอร์ใช้ไม่ได้ / cannot use {exc.filename or ''}: {exc.strerror}"
    if isinstance(exc, sqlite3.Error):
        return f"ฐานข้อมูล SQLite ใช้ไม่ได้ / the SQLite store cannot be used ({Settings().database_url}): {exc}"
    name = type(exc).__module__
    if name.startswith(("psycopg", "psycopg_pool", "eventsourcing")):
        where = Settings().database_url.split("@")[-1]  # host:port/db, without credentials
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"เชื่อมต่อฐานข้อมูลไม่ได้ / cannot reach the store at {where}: {first}"
    return None


if __name__ == "__main__":
    main()
