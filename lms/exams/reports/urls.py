"""URLs of the exam reports inside the Wagtail admin (mounted under /admin/exams/reports/)."""

from django.urls import path

from . import views

app_name = "exam_reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("<int:pk>/", views.session_report, name="session"),
    path("<int:pk>/progress/", views.report_progress, name="progress"),
    path("<int:pk>/recompute/", views.report_recompute, name="recompute"),
    path("<int:pk>/report.pdf", views.report_pdf_view, name="pdf"),
    path("<int:pk>/report.xlsx", views.report_xlsx_view, name="xlsx"),
]
