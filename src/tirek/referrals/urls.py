from __future__ import annotations

from django.urls import path

from tirek.referrals import views, views_transfers

app_name = "referrals"
urlpatterns = [
    path("cases/<uuid:case_id>/referrals/", views.referral_send_view, name="send"),
    path("cases/<uuid:case_id>/providers/", views.referral_providers, name="providers"),
    path("referrals/", views.referral_inbox, name="inbox"),
    path("referrals/sent/", views.referral_sent_list, name="sent"),
    path("referrals/<uuid:referral_id>/", views.referral_detail, name="detail"),
    path("referrals/<uuid:referral_id>/accept/", views.referral_accept_view, name="accept"),
    path("referrals/<uuid:referral_id>/decline/", views.referral_decline_view, name="decline"),
    path("referrals/<uuid:referral_id>/withdraw/", views.referral_withdraw_view, name="withdraw"),
    path("referrals/<uuid:referral_id>/outcome/", views.referral_outcome_view, name="outcome"),
    path("referrals/<uuid:referral_id>/resend/", views.referral_resend_view, name="resend"),
    path("referrals/<uuid:referral_id>/ask/", views.referral_ask_view, name="ask"),
    path("referrals/<uuid:referral_id>/answer/", views.referral_answer_view, name="answer"),
    path(
        "cases/<uuid:case_id>/outside-referrals/",
        views.outside_referral_send_view,
        name="outside_send",
    ),
    path(
        "outside-referrals/<uuid:outside_referral_id>/form.pdf",
        views.outside_referral_pdf_view,
        name="outside_pdf",
    ),
    path(
        "outside-referrals/<uuid:outside_referral_id>/outcome/",
        views.outside_referral_outcome_view,
        name="outside_outcome",
    ),
    path(
        "cases/<uuid:case_id>/transfer/",
        views_transfers.transfer_propose_view,
        name="transfer_propose",
    ),
    path("transfers/sent/", views_transfers.transfers_sent, name="transfers_sent"),
    path("transfers/<uuid:transfer_id>/", views_transfers.transfer_detail, name="transfer"),
    path(
        "transfers/<uuid:transfer_id>/accept/",
        views_transfers.transfer_accept_view,
        name="transfer_accept",
    ),
    path(
        "transfers/<uuid:transfer_id>/decline/",
        views_transfers.transfer_decline_view,
        name="transfer_decline",
    ),
    path(
        "transfers/<uuid:transfer_id>/kept/",
        views_transfers.transfer_kept_view,
        name="transfer_kept",
    ),
    path(
        "transfers/<uuid:transfer_id>/withdraw/",
        views_transfers.transfer_withdraw_view,
        name="transfer_withdraw",
    ),
]
