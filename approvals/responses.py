"""HTTP answers shared by the blueprints, so no blueprint imports another: RFC 9457 problem JSON, the page
for a refused command, and the FOI export download."""

from io import BytesIO

from flask import Response, jsonify, render_template, send_file

from approvals import disclosure, transparency

PROBLEM_TYPES = {
    400: "bad-request",
    401: "unauthorised",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    415: "unsupported-media-type",
    422: "validation",
    429: "too-many-requests",
}
REFUSAL_TITLES = {403: "Forbidden", 404: "Not found", 409: "Conflict", 422: "Refused by a rule"}


def problem(status, title, detail=None, errors=None):
    body = {"type": f"https://s26.example.gov.uk/problems/{PROBLEM_TYPES.get(status, 'error')}", "title": title}
    body["status"] = status
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="s26"'
    return response


def refusal_problem(error):
    """A command's refusal (approvals.commands.WorkflowError) as problem JSON, each rule under `errors`."""
    errors = {}
    for refusal in error.refusals:
        errors[refusal.rule] = (
            f"{errors[refusal.rule]}; {refusal.message}" if refusal.rule in errors else refusal.message
        )
    return problem(error.status, REFUSAL_TITLES.get(error.status, "Error"), error.message, errors or None)


def refusal_page(error):
    """A command's or the policy's refusal on a web page: 404 and 403 as the usual error pages (a 404 reveals
    nothing), 409 and 422 with the reason."""
    if error.status == 404:
        return render_template("errors/404.html"), 404
    if error.status == 403:
        return render_template("errors/403.html"), 403
    return render_template("errors/409.html", message=error.message), error.status


def export_response(report, fmt):
    """The FOI statistics as a CSV or Excel download."""
    stem = f"international-deployments-{report.date_from.isoformat()}-to-{report.date_to.isoformat()}"
    if fmt == "csv":
        return Response(
            transparency.to_csv(report),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{stem}.csv"'},
        )
    return Response(
        transparency.to_xlsx(report),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{stem}.xlsx"'},
    )


def download_response(document):
    """The stored bytes as an attachment of the stored type: never rendered inline, never sniffed."""
    response = send_file(
        BytesIO(document.content),
        mimetype=document.content_type,  # text/plain gains "; charset=utf-8"
        as_attachment=True,
        download_name=document.filename,
        max_age=0,
        etag=document.sha256,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "no-store"
    return response


def response_download(case, fmt):
    """An FOI case's response letter as PDF, .docx (for editing) or plain text; None for the HTML page."""
    letter = disclosure.response_letter(case)
    stem = letter.reference.lower()
    if fmt == "docx":
        return Response(
            disclosure.letter_docx(letter),
            mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            headers={"Content-Disposition": f'attachment; filename="{stem}.docx"'},
        )
    if fmt == "pdf":
        return Response(
            disclosure.letter_pdf(letter),
            mimetype="application/pdf",
            headers={"Content-Disposition": f'attachment; filename="{stem}.pdf"'},
        )
    if fmt == "txt":
        return Response(
            disclosure.letter_text(letter),
            mimetype="text/plain",
            headers={"Content-Disposition": f'attachment; filename="{stem}.txt"'},
        )
    return None
