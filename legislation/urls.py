"""Staff pages of the legislation side, mounted under /staff/ in namespace ``staff``."""

from django.urls import path

from . import views

bill = "bills/<str:slug>/"
version = f"{bill}versions/<int:number>/"

staff_patterns = [
    path("", views.StaffHomeView.as_view(), name="home"),
    path("bills/", views.BillListView.as_view(), name="bill-list"),
    path("bills/new/", views.BillCreateView.as_view(), name="bill-create"),
    path(bill, views.BillWorkspaceView.as_view(), name="bill-detail"),
    path(f"{bill}edit/", views.BillEditView.as_view(), name="bill-edit"),
    # One page per act on a bill.
    path(
        f"{bill}advance/<str:stage>/", views.AdvanceView.as_view(), name="bill-advance"
    ),
    path(f"{bill}reading/", views.ReadingView.as_view(), name="bill-reading"),
    path(
        f"{bill}unified-review/",
        views.UnifiedReviewView.as_view(),
        name="bill-unified-review",
    ),
    path(f"{bill}defer-vote/", views.DeferVoteView.as_view(), name="bill-defer-vote"),
    path(f"{bill}vote/", views.VoteView.as_view(), name="bill-vote"),
    path(
        f"{bill}approval-request/",
        views.ApprovalRequestView.as_view(),
        name="bill-approval-request",
    ),
    path(
        f"{bill}approval-decision/",
        views.ApprovalDecisionView.as_view(),
        name="bill-approval-decision",
    ),
    path(
        f"{bill}promulgation/",
        views.PromulgationView.as_view(),
        name="bill-promulgation",
    ),
    path(f"{bill}in-force/", views.InForceView.as_view(), name="bill-in-force"),
    path(f"{bill}withdraw/", views.WithdrawView.as_view(), name="bill-withdraw"),
    path(f"{bill}terminate/", views.TerminateView.as_view(), name="bill-terminate"),
    path(f"{bill}filing/", views.FilingView.as_view(), name="bill-filing"),
    path(
        f"{bill}planned-readings/",
        views.PlannedReadingsView.as_view(),
        name="bill-planned-readings",
    ),
    path(f"{bill}documents/new/", views.DocumentView.as_view(), name="bill-document"),
    path(
        f"{bill}corrections/new/", views.CorrectionView.as_view(), name="bill-correct"
    ),
    # Draft versions and the comparison table.
    path(
        f"{bill}versions/new/",
        views.DraftVersionCreateView.as_view(),
        name="version-create",
    ),
    path(version, views.VersionDetailView.as_view(), name="version-detail"),
    path(
        f"{version}alignment/",
        views.VersionAlignmentView.as_view(),
        name="version-alignment",
    ),
    path(
        f"{version}publish/", views.VersionPublishView.as_view(), name="version-publish"
    ),
    path(f"{bill}compare/", views.CompareView.as_view(), name="bill-compare"),
    # Standing Committee meetings.
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.MeetingCreateView.as_view(), name="meeting-create"),
    path(
        "meetings/<int:pk>/edit/",
        views.MeetingUpdateView.as_view(),
        name="meeting-edit",
    ),
    path(
        "meetings/<int:pk>/correct/",
        views.MeetingCorrectView.as_view(),
        name="meeting-correct",
    ),
    path(
        "meetings/<int:pk>/attendance/",
        views.MeetingAttendanceView.as_view(),
        name="meeting-attendance",
    ),
]
