from django.contrib.auth import views as auth_views
from django.urls import path

from lms.exams import result_views as exam_results

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/login/", views.OfficerLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", views.OfficerPasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="registration/password_change_done.html"),
        name="password_change_done",
    ),
    # 我的成绩: the exams app shows the officer's own released results.
    path("me/results/", exam_results.my_results_list, name="my_results"),
]
