"""factory_boy factories shared by the whole suite."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from consultation import counters, search
from consultation.models import (
    Channel,
    Comment,
    Consultation,
    Contributor,
    District,
    LiaisonPoint,
)
from legislation.models import Bill, BillEvent, EventKind, Meeting, Stage
from npc.core import roles


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def role(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        if not create:
            return
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
            if extracted in (roles.ADMINISTRATOR, roles.LEGISLATIVE_STAFF):
                self.is_staff = True
        self.save()  # keeps the password set above


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        django_get_or_create = ("term", "number")

    term = 15
    number = factory.Sequence(lambda n: 100 + n)
    date = factory.Sequence(lambda n: dt.date(2024, 1, 10) + dt.timedelta(days=30 * n))
    members = 45


class BillFactory(factory.django.DjangoModelFactory):
    """A bill in the plan. Use services to move it: its stage is theirs alone."""

    class Meta:
        model = Bill
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"长治市测试管理条例{n}")
    slug = factory.Sequence(lambda n: f"test-bill-{n}")
    plan_year = 2024
    planned_readings = 2
    is_published = True

    @factory.post_generation
    def planned_event(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            BillEvent.objects.create(
                bill=self,
                kind=EventKind.PLANNED,
                on=dt.date(self.plan_year, 1, 1),
                to_stage=Stage.PLANNED,
            )


class LiaisonPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiaisonPoint

    name = factory.Sequence(lambda n: f"潞州区测试街道第{n}社区基层立法联系点")
    district = District.LUZHOU
    host_kind = LiaisonPoint.HostKind.COMMUNITY
    address = "长治市潞州区测试路1号"


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    bill = factory.SubFactory(BillFactory)
    version = None  # set by callers that need one; see tests.conftest.draft
    channel = Channel.LIAISON_POINT
    point = factory.SubFactory(LiaisonPointFactory)
    title = factory.Sequence(lambda n: f"立法意见征询座谈会{n}")
    held_on = dt.date(2024, 9, 10)
    participants = 12


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment
        skip_postgeneration_save = True

    consultation = factory.SubFactory(ConsultationFactory)
    bill = factory.SelfAttribute("consultation.bill")
    point = factory.SelfAttribute("consultation.point")
    text = factory.Sequence(
        lambda n: f"建议进一步明确老旧电梯更新改造资金的来源（第{n}条意见）。"
    )
    submitted_on = dt.date(2024, 9, 10)
    search_text = factory.LazyAttribute(
        lambda o: search.search_words(o.text, getattr(o, "summary", ""))
    )
    contributor = factory.RelatedFactory(
        "tests.factories.ContributorFactory", factory_related_name="comment"
    )
    # Comments made here skip the services: count them as the services would.
    counted = factory.PostGeneration(
        lambda obj, create, extracted, **kwargs: (
            counters.recount([obj.consultation_id]) if create else None
        )
    )


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor
        skip_postgeneration_save = True

    comment = factory.SubFactory(CommentFactory, contributor=None)
    name = factory.Sequence(lambda n: f"测试居民{n}")
    contact = factory.Sequence(lambda n: f"139{n:08d}")
    kind = Contributor.Kind.RESIDENT
    counted = factory.PostGeneration(
        lambda obj, create, extracted, **kwargs: (
            counters.recount([obj.comment.consultation_id]) if create else None
        )
    )
