from __future__ import annotations

from django.urls import path

from tirek.protection import views, views_children, views_plans, views_return

app_name = "protection"
urlpatterns = [
    path("cases/<uuid:case_id>/consents/", views.consent_record_view, name="consent_record"),
    path(
        "consents/<uuid:consent_id>/withdraw/",
        views.consent_withdraw_view,
        name="consent_withdraw",
    ),
    path(
        "cases/<uuid:case_id>/reflection/",
        views_plans.reflection_start_view,
        name="reflection_start",
    ),
    path(
        "reflection/<uuid:period_id>/extend/",
        views_plans.reflection_extend_view,
        name="reflection_extend",
    ),
    path(
        "reflection/<uuid:period_id>/end/",
        views_plans.reflection_end_view,
        name="reflection_end",
    ),
    path("cases/<uuid:case_id>/risk/", views_plans.risk_assess_view, name="risk_assess"),
    path(
        "cases/<uuid:case_id>/safety-plan/",
        views_plans.safety_plan_view,
        name="safety_plan_save",
    ),
    path(
        "cases/<uuid:case_id>/support-plans/",
        views_plans.support_plan_add_view,
        name="support_plan_add",
    ),
    path(
        "support-plans/<uuid:plan_id>/",
        views_plans.support_plan_update_view,
        name="support_plan_update",
    ),
    path(
        "support-plans/<uuid:plan_id>/delivery/",
        views_plans.support_delivery_view,
        name="support_delivery",
    ),
    path("cases/<uuid:case_id>/child/", views_children.child_mark_view, name="child_mark"),
    path("cases/<uuid:case_id>/guardian/", views_children.guardian_save_view, name="guardian_save"),
    path(
        "cases/<uuid:case_id>/best-interests/",
        views_children.best_interests_view,
        name="best_interests",
    ),
    path(
        "cases/<uuid:case_id>/perpetrators/",
        views_children.perpetrator_add_view,
        name="perpetrator_add",
    ),
    path(
        "perpetrators/<uuid:perpetrator_id>/",
        views_children.perpetrator_update_view,
        name="perpetrator_update",
    ),
    path(
        "perpetrators/<uuid:perpetrator_id>/remove/",
        views_children.perpetrator_remove_view,
        name="perpetrator_remove",
    ),
    path("cases/<uuid:case_id>/return/", views_return.return_plan_view, name="return_plan_save"),
    path(
        "cases/<uuid:case_id>/proceedings/",
        views_return.proceeding_add_view,
        name="proceeding_add",
    ),
    path(
        "proceedings/<uuid:proceeding_id>/",
        views_return.proceeding_update_view,
        name="proceeding_update",
    ),
]
