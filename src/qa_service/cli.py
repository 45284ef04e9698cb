"""`qa-service build | serve | ask | gaps | eval`: the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from qa_service.config import get_settings

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Question answering over the Mexico–Peru corpus.")


def _fail(message: str, code: int = 1) -> None:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    raise typer.Exit(code)


@app.command()
def build(
    full: Annotated[bool, typer.Option("--full", help="Re-embed every document.")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="List what would change; write nothing.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the build report as JSON (progress goes to stderr).")] = False,
) -> None:
    """Build or update the index from the corpus (only added or changed documents are embedded)."""
    from qa_service.corpus import CorpusError
    from qa_service.embedding import Embedder, ModelNotFoundError
    from qa_service.index import BuildLockedError, BuildReport, BuildWriteError, build_index

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
        embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
        report = build_index(settings, embedder, full=full, dry_run=dry_run, progress=not as_json, on_plan=said)
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
        for label, ids in (("added", report.added), ("changed", report.changed), ("removed", report.removed)):
            for i in ids:
                typer.echo(f"{label}: {i}")
    typer.echo(report.summary())


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    watch: Annotated[bool, typer.Option("--watch", help="Rebuild and swap when corpus files change.")] = False,
) -> None:
    """Build the index if it is missing or stale, then serve the API and the chat page."""
    import uvicorn

    from qa_service.api import create_app
    from qa_service.corpus import CorpusError
    from qa_service.embedding import Embedder
    from qa_service.index import IndexError_, build_index, corpus_is_stale, current_path
    from qa_service.service import QAService

    settings = get_settings()
    embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
    if corpus_is_stale(settings, embedder.name):
        try:
            typer.echo(build_index(settings, embedder).summary())
        except CorpusError as e:
            if current_path(settings.index_dir) is None:
                _fail(str(e))
            typer.secho(f"warning: {e}; serving the last good index", fg=typer.colors.YELLOW, err=True)
    from qa_service.question_log import QuestionLog

    try:
        question_log = QuestionLog.from_settings(settings)
    except ValueError as e:
        _fail(str(e), 2)
    try:
        service = QAService(settings, embedder, question_log=question_log)
    except IndexError_ as e:
        _fail(str(e))
    if watch:
        from qa_service.watch import start_watcher

        start_watcher(service)
    if watch or settings.admin_token is not None:
        service.standby.start()  # loads its model in the background, so a reindex need not
    typer.echo(f"serving index {service.state.data.version} on http://{host}:{port}")
    try:
        uvicorn.run(create_app(settings, service), host=host, port=port, log_level="info", access_log=False)
    finally:
        service.close()


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly what POST /api/ask returns.")] = False,
    top_k: Annotated[int | None, typer.Option("--top-k", min=1, max=20, help="Passages to consider.")] = None,
) -> None:
    """Answer one question with its citations."""
    from qa_service.index import IndexError_
    from qa_service.service import QAService

    if not question.strip():
        _fail("the question is empty", 2)
    try:
        service = QAService(get_settings())
    except IndexError_ as e:
        _fail(str(e))
    resp = service.ask(question, top_k=top_k)
    if as_json:
        typer.echo(resp.model_dump_json(indent=2))
        return
    typer.echo(resp.answer)
    for c in resp.citations:
        typer.echo(f"\n[{c.n}] {c.title} ({c.published}) {c.doc_id} {c.start}-{c.end}")
        if c.url:
            typer.echo(f"    {c.url}")


@app.command()
def gaps(
    since: Annotated[str, typer.Option(help="Questions asked since: 30d, 12h, 2w, or an ISO date.")] = "30d",
    as_json: Annotated[bool, typer.Option("--json", help="Print exactly what GET /api/admin/gaps returns.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=200, help="Clusters to show, largest first.")] = 10,
) -> None:
    """What the corpus could not answer: declined and voted-down questions, clustered by subject."""
    from sqlalchemy.exc import SQLAlchemyError

    from qa_service.embedding import Embedder
    from qa_service.gaps import find_gaps, format_report, parse_since
    from qa_service.index import IndexError_, load_index
    from qa_service.question_log import QuestionLog, database_url
    from qa_service.retrieval import Retriever

    settings = get_settings()
    try:
        start = parse_since(since)
    except ValueError as e:
        _fail(str(e), 2)
    if not settings.log_questions:
        typer.secho("note: QA_LOG_QUESTIONS is false; reading what the log holds from before", err=True)
    try:
        url = database_url(settings.log_db, settings.index_dir)
    except ValueError as e:
        _fail(str(e), 2)
    try:
        data = load_index(settings.index_dir)
    except IndexError_ as e:
        _fail(str(e))
    log = QuestionLog(url, settings.log_retention_days, start=False)
    try:
        log.ensure_schema()  # a database that cannot be reached fails here, before the model loads
        embedder = Embedder(settings.embedding_model, settings.embedding_batch_size)
        report = find_gaps(log, embedder, Retriever(data), start, settings.gaps_distance, limit)
    except SQLAlchemyError as e:
        _fail(f"the question log at {log.engine.url!r} cannot be read: {getattr(e, 'orig', None) or e}")
    finally:
        log.close()
    typer.echo(report.model_dump_json(indent=2) if as_json else format_report(report))


@app.command("eval")
def evaluate(
    files: Annotated[list[Path] | None, typer.Argument(help="JSONL question sets.")] = None,
    baselines: Annotated[bool, typer.Option(help="Also score BM25-only and fixed-chunk dense baselines.")] = True,
    out: Annotated[Path | None, typer.Option(help="Write the metrics as JSON here.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print every failed case.")] = False,
) -> None:
    """Run question sets and print answer hit rate, hit@1, hit@5, MRR and decline rates by kind."""
    from qa_service.evaluation import evaluate_files

    paths = files or [Path("eval/questions.jsonl")]
    for p in paths:
        if not p.exists():
            _fail(f"no question file {p}")
    results = evaluate_files(get_settings(), paths, baselines=baselines, verbose=verbose, echo=typer.echo)
    if out:
        out.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    app()
