"""Background work of the courses app: the study-plan completion export runs as a job (lms.jobs)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.core import audit
from lms.jobs.services import JobFailed, attach_file, job_task, register_kind, report_progress

from . import selectors
from .exports import completion_workbook
from .models import StudyPlan

COMPLETION_EXPORT_KIND = "courses.completion_export"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

register_kind(COMPLETION_EXPORT_KIND, label=gettext_lazy("Study completion export"))


@job_task(queue="exports", atomic=False)
def completion_export_job(job, *, plan_id: int) -> dict:
    """One row per person covered by the plan, every cell made safe; kept as the job's file."""
    plan = StudyPlan.objects.prefetch_related("plan_courses").filter(pk=plan_id).first()
    if plan is None:
        raise JobFailed(_("The study plan no longer exists."))
    report_progress(job, done=0, total=2, message=_("Collecting study records"))
    report = selectors.plan_completion_report(plan=plan)
    people = sum(len(squad["people"]) for squad in report["squads"])
    report_progress(job, done=1, total=2, message=_("Writing the workbook"))
    attach_file(job, key="xlsx", label=_("Study completion (Excel)"), filename=f"study-plan-{plan.pk}-completion.xlsx",
                content=completion_workbook(report), content_type=XLSX)
    audit.record(actor=job.owner, action="courses.export_completion", obj=plan, summary=f"export completion of {plan}")
    return {"people": people, "plan": str(plan)}
