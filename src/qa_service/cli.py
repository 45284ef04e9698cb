"""`qa-service build | serve | ask | cancel | check-corpus | gaps | eval | train`: the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from qa_service.config import TOP_K_LIMIT, get_settings
from qa_service.schemas import Turn

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Question answering over the Mexico–Peru corpus.",
)


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def build(
    full: Annotated[bool, typer.Option("--full", help="Re-embed every document.")] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List what would change; write nothing.")
    ] = False,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the build report as JSON (progress goes to stderr)."),
    ] = False,
) -> None:
    """Build or update the index from the corpus (only added or changed documents are embedded)."""
    from qa_service.corpus import CorpusError
    from qa_service.embedding import Embedder, ModelNotFoundError
    from qa_service.index import BuildLockedError, BuildReport, BuildWriteError, build_index
    from qa_service.lifeline import die_with_parent

    die_with_parent()  # a build started by a server ends with it
    settings = get_settings()

    def said(plan: BuildReport) -> None:  # before embedding, so the terminal says what is coming
        if plan.full and plan.full_reason:
            typer.echo(f"full rebuild: {plan.full_reason}", err=as_json)
        typer.echo(
            f"embedding {plan.chunks_embedded} chunks: {len(plan.added)} added, {len(plan.changed)} changed, "
            f"{len(plan.removed)} removed, {len(plan.unchanged)} unchanged",
            err=as_json,
        )

    try:
        from qa_service.embedding import resolve_model_path
        from qa_service.index import plan_build

        plan_build(
            settings, resolve_model_path(settings.embedding_model)[1], full=full
        )  # the corpus, checked in seconds
        embedder = Embedder(
            settings.embedding_model, settings.embedding_batch_size
        )  # then the model
        report = build_index(
            settings, embedder, full=full, dry_run=dry_run, progress=not as_json, on_plan=said
        )
    except CorpusError as e:
        _fail(f"{e}\nthe index in service was left as it was")
    except (BuildLockedError, ModelNotFoundError, BuildWriteError) as e:
        _fail(str(e))
    except OSError as e:
        _fail(f"build failed: {e}; the index in service was left as it was")
    if as_json:
        typer.echo(report.model_dump_json())
        return
    if dry_run:
        for label, ids in (
            ("added", report.added),
            ("changed", report.changed),
            ("removed", report.removed),
        ):
            for i in ids:
                typer.echo(f"{label}: {i}")
    typer.echo(report.summary())


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    watch: Annotated[
        bool, typer.Option("--watch", help="Rebuild and swap when corpus files change.")
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option(min=1, max=64, help="Worker processes on this port (default QA_WORKERS, 1)."),
    ] = None,
) -> None:
    """Build the index if it is missing or stale, then serve the API and the chat page.

    What is quick to check comes first (the port, the corpus, the index), and only then
    the model loads, so a mistake is reported in seconds.
    """
    from qa_service.observability import configure_logging
    from qa_service.server import listen_socket, raise_open_file_limit
    from qa_service.startup import StartupError, run

    settings = get_settings()
    configure_logging()
    try:
        sock = listen_socket(host, port)
    except OSError as e:
        _fail(e.strerror or str(e))
    raise_open_file_limit(settings)

    def warn(message: str) -> None:
        if message.startswith("warning: "):
            typer.secho(message, fg=typer.colors.YELLOW, err=True)
        else:
            typer.echo(message)

    try:
        run(settings, sock, workers or settings.workers, watch, typer.echo, warn)
    except StartupError as e:
        _fail(str(e))


def _read_history(path: Path) -> list[Turn]:
    """Turns from a JSON file: a list of {"role", "content"} (or {"history": [...]}), as POST /api/ask takes."""
    from pydantic import TypeAdapter, ValidationError

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        _fail(f"cannot read the history file {path}: {e.strerror or e}", 2)
    except (ValueError, UnicodeDecodeError) as e:
        _fail(f"the history file {path} is not JSON ({e})", 2)
    if isinstance(data, dict) and "history" in data:
        data = data["history"]
    try:
        return TypeAdapter(list[Turn]).validate_python(data)
    except ValidationError as e:
        err = e.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        _fail(
            f"the history file {path}: {where or 'the top level'}: {err['msg']}; "
            'write a JSON list such as [{"role": "user", "content": "..."}]',
            2,
        )
    return []


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print exactly what POST /api/ask returns.")
    ] = False,
    top_k: Annotated[
        int | None, typer.Option("--top-k", min=1, max=TOP_K_LIMIT, help="Passages to consider.")
    ] = None,
    history: Annotated[
        Path | None,
        typer.Option(
            "--history",
            help='JSON file with the conversation so far: [{"role": "user"|"assistant", "content": "..."}].',
        ),
    ] = None,
) -> None:
    """Answer one question with its citations (a follow-up when --history gives the conversation)."""
    from qa_service.index import IndexUnavailableError
    from qa_service.service import QAService

    if not question.strip():
        _fail("the question is empty", 2)
    turns = _read_history(history) if history is not None else []
    try:
        service = QAService(get_settings())  # the index is checked before the model loads
    except IndexUnavailableError as e:
        _fail(str(e))
    resp = service.ask(question, turns, top_k=top_k)
    if as_json:
        typer.echo(resp.model_dump_json(indent=2))
        return
    typer.echo(resp.answer)
    for c in resp.citations:
        typer.echo(f"\n[{c.n}] {c.title} ({c.published}) {c.doc_id} {c.start}-{c.end}")
        if c.url:
            typer.echo(f"    {c.url}")


@app.command("check-corpus")
def check_corpus(
    corpus_dir: Annotated[
        Path | None, typer.Argument(help="Folder of Markdown documents (default: QA_CORPUS_DIR).")
    ] = None,
) -> None:
    """Report mirror, copy and malformed source links, repeated sources, stale `published` dates and
    missing source references, one `file:line: problem` line each; exit 1 if there is any."""
    from qa_service.corpus import CorpusError
    from qa_service.corpus_check import check_corpus as run_checks

    folder = corpus_dir or get_settings().corpus_dir
    try:
        problems = run_checks(folder)
    except CorpusError as e:
        _fail(str(e))
    for p in problems:
        typer.echo(str(p))
    files = len({p.path for p in problems})
    if problems:
        typer.secho(f"{len(problems)} problems in {files} documents", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"corpus {folder}: no problems")


@app.command()
def cancel() -> None:
    """Cancel the build running on this index (a `build`, or a server's background reindex); the index in service stays."""
    from qa_service import lifeline
    from qa_service.index import build_owner

    settings = get_settings()
    pid = build_owner(settings.index_dir)
    if pid is None:
        typer.echo("no build is running")
        return
    cmdline = (
        Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if Path(f"/proc/{pid}/cmdline").exists()
        else []
    )
    if b"serve" in cmdline:
        _fail(
            f"the build runs inside the server pid {pid} (its start-up build); wait for it or stop the server"
        )
    if not lifeline.end(pid, grace=10):
        _fail(f"the build by pid {pid} did not end")
    typer.echo(f"cancelled the build by pid {pid}; the index in service was left as it was")


@app.command()
def gaps(
    since: Annotated[
        str, typer.Option(help="Questions asked since: 30d, 12h, 2w, or an ISO date.")
    ] = "30d",
    as_json: Annotated[
        bool, typer.Option("--json", help="Print exactly what GET /api/admin/gaps returns.")
    ] = False,
    limit: Annotated[
        int, typer.Option(min=1, max=200, help="Clusters to show, largest first.")
    ] = 10,
) -> None:
    """What the corpus could not answer: declined and voted-down questions, clustered by subject."""
    from sqlalchemy.exc import SQLAlchemyError

    from qa_service.embedding import Embedder
    from qa_service.gaps import find_gaps, format_report, parse_since
    from qa_service.index import IndexUnavailableError, load_index
    from qa_service.question_log import QuestionLog, database_url
    from qa_service.retrieval import Retriever

    settings = get_settings()
    try:
        start = parse_since(since)
    except ValueError as e:
        _fail(str(e), 2)
    if not settings.log_questions:
        typer.secho(
            "note: QA_LOG_QUESTIONS is false; reading what the log holds from before", err=True
        )
    try:
        url = database_url(settings.log_db, settings.index_dir)
    except ValueError as e:
        _fail(str(e), 2)
    try:
        data = load_index(settings.index_dir)
    except IndexUnavailableError as e:
        _fail(str(e))
    log = QuestionLog(url, settings.log_retention_days, start=False)
    try:
        log.ensure_schema()  # a database that cannot be reached fails here, before the model loads
        embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
        report = find_gaps(log, embedder, Retriever(data), start, settings.gaps_distance, limit)
    except SQLAlchemyError as e:
        _fail(
            f"the question log at {log.engine.url!r} cannot be read: {getattr(e, 'orig', None) or e}"
        )
    finally:
        log.close()
    typer.echo(report.model_dump_json(indent=2) if as_json else format_report(report))


@app.command("eval")
def evaluate(
    files: Annotated[list[Path] | None, typer.Argument(help="JSONL question sets.")] = None,
    baselines: Annotated[
        bool, typer.Option(help="Also score BM25-only and fixed-chunk dense baselines.")
    ] = True,
    out: Annotated[Path | None, typer.Option(help="Write the metrics as JSON here.")] = None,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="Print every failed case.")
    ] = False,
    scorer: Annotated[
        str | None, typer.Option(help="Sentence scorer to use: 'learned' or 'hand'.")
    ] = None,
) -> None:
    """Run question sets (default: held-out, train, regression) and print rates by kind."""
    from qa_service.evaluation import DEFAULT_SETS, evaluate_files

    paths = files or list(DEFAULT_SETS)
    for p in paths:
        if not p.exists():
            _fail(f"no question file {p}")
    settings = get_settings()
    if scorer:
        settings = settings.model_copy(update={"sentence_scorer": scorer})
    results = evaluate_files(settings, paths, baselines=baselines, verbose=verbose, echo=typer.echo)
    if out:
        out.write_text(json.dumps(results, indent=2), encoding="utf-8")


@app.command()
def train(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="JSONL question sets to fit the ranker on (tuning sets only)."),
    ] = None,
    decline_sets: Annotated[
        list[Path] | None,
        typer.Option(
            "--decline-set",
            help="A set to fit the decline model on (repeat; default training.DECLINE_SETS).",
        ),
    ] = None,
    tuning: Annotated[
        bool,
        typer.Option(
            "--all-tuning", help="Fit both models on every tuning set (training.TUNING_SETS)."
        ),
    ] = False,
    exclude: Annotated[
        list[Path] | None,
        typer.Option(
            "--exclude",
            help="Leave this set out of both models (repeat): measure on it afterwards.",
        ),
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out-dir",
            help="Write the models here instead of into the package (select with QA_MODELS_DIR).",
        ),
    ] = None,
) -> None:
    """Fit the sentence ranker on FILES (default: training.TRAIN_SETS) and the decline model (default:
    training.DECLINE_SETS; never the headline held-out, the judge); write both into the package, or into
    --out-dir for a trial."""
    from qa_service.service import QAService
    from qa_service.training import DECLINE_SETS, TRAIN_SETS, TUNING_SETS, check_sets, choose_sets
    from qa_service.training import train as fit

    ranker_sets = list(TUNING_SETS) if tuning else files or list(TRAIN_SETS)
    decline = list(TUNING_SETS) if tuning else decline_sets or list(DECLINE_SETS)
    ranker_sets = choose_sets(ranker_sets, exclude or [])
    decline = choose_sets(decline, exclude or [])
    for p in ranker_sets + decline:
        if not p.exists():
            _fail(f"no question file {p}")
    try:
        check_sets(ranker_sets + decline)
    except ValueError as e:
        _fail(str(e))
    settings = get_settings().model_copy(update={"sentence_scorer": "hand"})
    fit(QAService(settings), ranker_sets, echo=typer.echo, decline_paths=decline, out_dir=out_dir)


if __name__ == "__main__":
    app()
