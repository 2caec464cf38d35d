"""Web pages for cases: the list, search before create, registration and the case page.

Thin: parse a form, call a selector or a service, render. The case page shows the parts of a
case the actor may see (``CaseView.sections``); higher apps (consents, referrals) add their
panels to it through ``case_panel_register`` so that ``cases`` never imports them.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases import listing, page
from tirek.cases.choices import (
    COUNTRY_CHOICES,
    LANGUAGE_CHOICES,
    BirthDatePrecision,
    MethodOfControl,
    NrmStage,
    Section,
    TypeOfExploitation,
)
from tirek.cases.corrections import (
    CONTACT,
    IDENTITY,
    PartChanged,
    part_version,
    person_part_update,
    revision_details,
    revision_lines,
)
from tirek.cases.forms import (
    PersonForm,
    PersonPartForm,
    PersonSearchForm,
    PlaceForm,
    StageForm,
    VictimForm,
    VictimUpdateForm,
)
from tirek.cases.lifecycle import case_stage_change
from tirek.cases.models import Case, CaseEvent, Person
from tirek.cases.reads import (
    LIST_SHOWS,
    Via,
    case_identity_reads_record,
    case_open,
    case_reads_record,
)
from tirek.cases.selectors import (
    SEARCH_LIMIT,
    CaseCount,
    CaseView,
    case_for_change,
    case_timeline,
    cases_page,
    cases_visible_count,
    cases_visible_to,
    cases_with_sections,
)
from tirek.cases.services import (
    PersonInput,
    PlaceInput,
    VictimInput,
    case_register,
    case_register_errors,
    case_victim_update,
    historic_event_add,
    person_validate,
    place_validate,
)
from tirek.core.errors import ConcurrentUpdate, DomainError, InvalidState
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID, domain_error_response, is_htmx
from tirek.matching.selectors import cases_search

CASES_PER_PAGE = 50

Fact = tuple[str, str]
PanelContext = page.PanelContext


@dataclass(frozen=True)
class CasePanel:
    """A part of the case page that a higher app contributes (e.g. consents, referrals), on
    the tab ``tab`` (see ``cases.page``).

    ``context`` returns the panel's template context, or None when the actor should not see the
    panel; it receives the bound forms of a failed submission so that nothing typed is lost.
    ``visible_for`` is the cheap check deciding whether the tab is offered at all; ``forms``
    the keys of the bound forms the panel shows (a failed form opens its tab).
    """

    name: str
    order: int
    template: str
    context: PanelContext
    tab: str
    visible_for: page.Visibility = page.always
    forms: tuple[str, ...] = ()
    anchors: tuple[str, ...] = ()


def case_panel_register(panel: CasePanel) -> None:
    page.panel_register(
        panel.tab,
        panel.name,
        panel.template,
        panel.context,
        visible_for=panel.visible_for,
        order=panel.order,
        forms=panel.forms,
        anchors=panel.anchors,
    )


# --- how case data is shown ---------------------------------------------------------------


def _labels(values: list[str], choices: Mapping[str, Any]) -> str:
    return ", ".join(str(choices.get(v, v)) for v in values) or "—"


def _birth_date(person: Person) -> str:
    born = person.birth_date
    if born is None:
        if person.approximate_age is not None:
            return _("about %(age)s years old (estimated)") % {"age": person.approximate_age}
        return "—"
    if person.birth_date_precision == BirthDatePrecision.YEAR:
        return str(born.year)
    if person.birth_date_precision == BirthDatePrecision.MONTH:
        return born.strftime("%m.%Y")
    return str(formats.date_format(born, "SHORT_DATE_FORMAT"))


def _identity_facts(person: Person) -> list[Fact]:
    languages = dict(LANGUAGE_CHOICES)
    return [
        (_("Family name"), person.family_name or "—"),
        (_("Given name"), person.first_name or "—"),
        (_("Patronymic"), person.patronymic or "—"),
        (_("Sex"), str(person.get_sex_display())),
        (_("Gender"), str(person.get_gender_display())),
        (_("Birth date"), _birth_date(person)),
        (_("Citizenship"), _labels(list(person.citizenship), dict(COUNTRY_CHOICES))),
        (_("Primary language"), str(languages.get(person.primary_language, "—"))),
        (_("Secondary language"), str(languages.get(person.secondary_language, "—"))),
    ]


def _contact_facts(person: Person) -> list[Fact]:
    return [
        (_("Mobile phone"), person.mobile_phone or "—"),
        (_("E-mail"), person.email or "—"),
        (_("Safe way to contact"), person.contact_notes or "—"),
    ]


def _victim_facts(case: Case) -> list[Fact]:
    age = case.age_when_trafficked
    return [
        (_("Trafficking status"), str(case.get_trafficking_status_display())),
        (_("Status decided by"), str(case.get_trafficking_status_decision_org_display()) or "—"),
        (
            _("Type of exploitation"),
            _labels(list(case.types_of_exploitation), dict(TypeOfExploitation.choices)),
        ),
        (
            _("Means of control"),
            _labels(list(case.methods_of_control), dict(MethodOfControl.choices)),
        ),
        (_("Age when trafficked"), str(age) if age is not None else "—"),
        (
            _("Agrees to the processing of personal data"),
            _("Yes") if case.agreement_to_manage_personal_data else _("No"),
        ),
    ]


def _person_panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any]:
    person = view.case.person
    can_edit = view.is_owner and actor.can(Capability.EDIT_CASES) and page.case_is_open(view)
    forms_: dict[str, PersonPartForm | None] = {}
    for part in (IDENTITY, CONTACT):
        forms_[part] = (
            bound.get(f"{part}_form")
            or PersonPartForm(initial=PersonPartForm.initial_from(person, part), part=part)
            if can_edit
            else None
        )
    return {
        "case": view.case,
        "identity": _identity_facts(person) if view.has(Section.IDENTITY) else None,
        "contact": _contact_facts(person) if view.has(Section.CONTACT) else None,
        "identity_form": forms_[IDENTITY],
        "contact_form": forms_[CONTACT],
        "conflict": bound.get("person_conflict"),
        "conflict_part": bound.get("person_conflict_part"),
    }


def _trafficking_panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any]:
    case = view.case
    country_names = dict(COUNTRY_CHOICES)
    events = [
        {"event": event, "country": country_names.get(event.country, event.country)}
        for event in case.historic_events.select_related("place")
    ]
    return {
        "case": case,
        "can_edit": view.is_owner and actor.can(Capability.EDIT_CASES),
        "victim": _victim_facts(case) if view.has(Section.VICTIM) else None,
        "historic_events": events if view.has(Section.EVENTS) else None,
        "victim_form": bound.get("victim_form")
        or VictimUpdateForm(
            initial=VictimForm.initial_from(case) | {"expected_version": case.version}
        ),
        "place_form": bound.get("place_form") or PlaceForm(),
        "concurrent_update": bound.get("concurrent_update")
        if bound.get("victim_form") is not None
        else None,
    }


def _timeline_panel(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any]:
    items = []
    stages = dict(NrmStage.choices)
    for event in case_timeline(actor=actor, view=view):
        details = revision_details(view, event)
        items.append(
            {
                "event": event,
                "stage": stages.get(event.data.get("to", ""), "")
                if event.kind == CaseEvent.Kind.STAGE_CHANGED
                else "",
                "reason": (details or {}).get("reason", ""),
                "changes": revision_lines(details) if details else [],
            }
        )
    return {"case": view.case, "timeline": items}


page.tab_register(page.Tab("person", gettext_lazy("Person"), 10))
page.tab_register(page.Tab("trafficking", gettext_lazy("Trafficking"), 20))
page.tab_register(page.Tab("screening", gettext_lazy("Screening"), 30))
page.tab_register(page.Tab("consents", gettext_lazy("Consents"), 40))
page.tab_register(page.Tab("referrals", gettext_lazy("Referrals"), 50))
page.tab_register(page.Tab("notes", gettext_lazy("Notes and files"), 70))
page.tab_register(page.Tab("tasks", gettext_lazy("Tasks"), 75))
page.tab_register(page.Tab("timeline", gettext_lazy("Timeline"), 90))
page.tab_register(page.Tab("record", gettext_lazy("Closing and data"), 95))
page.panel_register(
    "person",
    "person",
    "cases/_person_panel.html",
    _person_panel,
    order=10,
    forms=("identity_form", "contact_form"),
    anchors=("identity", "contact"),
)
page.panel_register(
    "trafficking",
    "trafficking",
    "cases/_trafficking_panel.html",
    _trafficking_panel,
    order=10,
    forms=("victim_form", "place_form"),
    anchors=("victim", "places"),
)
page.panel_register("timeline", "timeline", "cases/_timeline_panel.html", _timeline_panel)

DEFAULT_TAB = "person"


def case_page(
    request: HttpRequest,
    actor: Actor,
    view: CaseView,
    *,
    bound: Mapping[str, Any] | None = None,
    status: int = 200,
    tab: str = "",
) -> HttpResponse:
    """Render the case page: the header (person, stage, flags, what is due, the actions that fit
    the stage) and one tab, chosen by ``tab``, by the failed form in ``bound`` (the forms of a
    failed submission, by name) or by ``?tab=``. An HTMX request gets the page without the
    site's frame, to swap in place of ``#case-page``."""
    bound = bound or {}
    case = view.case
    can_edit = view.is_owner and actor.can(Capability.EDIT_CASES)
    offered = page.visible_tabs(actor, view)
    names = [t.name for t in offered]
    wanted = tab or page.bound_tab(bound) or request.GET.get("tab", "")
    current = wanted if wanted in names else (DEFAULT_TAB if DEFAULT_TAB in names else names[0])
    panels = []
    for panel in page.panels_of(current):
        if not panel.visible_for(actor, view):
            continue
        context = panel.context(request, actor, view, bound)
        if context is not None:
            panels.append({"template": panel.template, "context": context})
    header = page.header_build(actor, view)
    context = {
        "view": view,
        "case": case,
        "can_edit": can_edit,
        "hidden_sections": [
            label for value, label in Section.choices if value not in view.sections
        ],
        "person_name": case.person.full_name if view.has(Section.IDENTITY) else "",
        "tabs": offered,
        "tab": current,
        "tab_label": next(t.label for t in offered if t.name == current),
        "header": header,
        "stage_form": bound.get("stage_form")
        or StageForm(initial={"stage": case.nrm_stage, "expected_version": case.version}),
        "stage_concurrent_update": bound.get("concurrent_update")
        if bound.get("stage_form") is not None
        else None,
        "panels": panels,
        "htmx": is_htmx(request) and not request.headers.get("HX-History-Restore-Request"),
    }
    template = "cases/_case_page.html" if context["htmx"] else "cases/case_detail.html"
    response = render(request, template, context, status=status)
    if context["htmx"] and request.method == "GET":
        response["HX-Push-Url"] = request.get_full_path()
    patch_vary_headers(response, ["HX-Request"])
    return response


def _search_rows(results: list[Case] | None) -> list[dict[str, Any]] | None:
    if results is None:
        return None
    return [{"case": case, "birth": _birth_date(case.person)} for case in results]


def case_detail_url(case_id: object, anchor: str = "") -> str:
    """The case page, on the tab that holds ``anchor`` (a panel's name or an id inside it)."""
    url = reverse("cases:detail", args=[case_id])
    if not anchor:
        return url
    tab = page.anchor_tab(anchor)
    return f"{url}?tab={tab}#{anchor}" if tab else f"{url}#{anchor}"


def case_form_submit(
    request: HttpRequest,
    actor: Actor,
    *,
    case_id: UUID | str,
    form: forms.Form,
    bound: Mapping[str, Any],
    anchor: str,
    call: Callable[[], object],
    done: str,
    shown_on_form: tuple[type[DomainError], ...] = (ConcurrentUpdate,),
) -> HttpResponse:
    """A form posted from a panel of the case page: run the service ``call`` on the valid
    ``form`` and go back to the panel at ``anchor`` with ``done``; else show the case page again
    (the read recorded) with every error on the form (``bound``) and what was typed kept.

    The errors in ``shown_on_form`` (a conflict, by default) go on the form too; any other
    refusal is a 404/403 or a message on the way back to the panel."""
    if form.is_valid():
        try:
            call()
        except ValidationError as error:
            service_errors_apply(error, form)
        except shown_on_form as error:
            form.add_error(None, str(error.message))
        except DomainError as error:
            return domain_error_response(request, error, back=case_detail_url(case_id, anchor))
        else:
            messages.success(request, done)
            return redirect(case_detail_url(case_id, anchor))
    view = case_open(actor=actor, case_id=case_id)
    return case_page(request, actor, view, bound=bound, status=FORM_INVALID)


# --- pages ---------------------------------------------------------------------------------


def _page_number(value: object) -> int:
    """The page asked for (1 when missing or not a positive number below a million)."""
    text = str(value or "")
    return int(text) if text.isdigit() and 0 < int(text) < 1_000_000 else 1


@dataclass
class _CaseListPages:
    """Where a page sits in the case list: its number, how many cases the list holds
    (``count``: exact, or "more than" beyond the count limit) and whether pages follow."""

    number: int
    count: CaseCount
    has_next: bool = False

    @property
    def offset(self) -> int:
        return (self.number - 1) * CASES_PER_PAGE

    @property
    def last(self) -> int | None:
        """The last page's number, when the count is exact."""
        if not self.count.is_exact:
            return None
        return max(1, -(-self.count.value // CASES_PER_PAGE))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


@require_http_methods(["GET", "POST"])
@actor_view(Capability.READ_CASES)
def case_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Every case the actor's agency may open, filtered (GET: codes only, bookmarkable) and
    searched by reference or name (POST: a name never goes into a URL); names only where the
    identity is shared."""
    params = request.POST if request.method == "POST" else request.GET
    chosen = listing.filters_chosen(actor, request.GET) | listing.filters_chosen(
        actor, request.POST
    )
    text = str(request.POST.get("q", "")).strip()[:200] if request.method == "POST" else ""
    searched = listing.cases_searched(actor, text)

    def refine(cases: QuerySet[Case]) -> QuerySet[Case]:
        cases = listing.cases_filtered(cases, actor, chosen)
        return cases if searched is None else cases.filter(searched)

    if searched is not None:  # (a search finds a few hundred cases at most: counted exactly)
        count = CaseCount(value=refine(cases_visible_to(actor=actor)).count(), is_exact=True)
    else:
        count = cases_visible_count(actor=actor, refine=refine)
    pages = _CaseListPages(number=_page_number(params.get("page")), count=count)
    cases = cases_page(actor=actor, refine=refine, offset=pages.offset, limit=CASES_PER_PAGE)
    if not cases.cases and pages.number > 1:  # past the end: the last page (or the first)
        pages = _CaseListPages(number=pages.last or 1, count=count)
        cases = cases_page(actor=actor, refine=refine, offset=pages.offset, limit=CASES_PER_PAGE)
    pages.has_next = cases.has_more
    shown = [(case, sections & LIST_SHOWS) for case, sections in cases_with_sections(
        actor=actor, cases=cases.cases
    )]  # fmt: skip
    case_reads_record(actor=actor, reads=shown, via=Via.LIST)
    rows = [
        {
            "case": case,
            "name": case.person.full_name if Section.IDENTITY in sections else None,
            "show_victim": Section.VICTIM in sections,
            "show_risk": Section.RISK in sections,
        }
        for case, sections in shown
    ]
    filters = [
        {"filter": f, "choices": f.choices(actor), "value": chosen.get(f.name, "")}
        for f in listing.list_filters()
    ]
    context = {
        "rows": rows,
        "page": pages,
        "filters": filters,
        "chosen": chosen,
        "q": text,
        "narrowed": bool(chosen or text),
        "query": urlencode(chosen),
    }
    template = "cases/_case_rows.html" if is_htmx(request) else "cases/case_list.html"
    return render(request, template, context)


def _register_page(
    request: HttpRequest,
    *,
    search_form: PersonSearchForm,
    person_form: PersonForm,
    victim_form: VictimForm,
    place_form: PlaceForm,
    results: list[Case] | None = None,
    match_elsewhere: bool = False,
    status: int = 200,
    extra: Mapping[str, Any] | None = None,
) -> HttpResponse:
    forms_: list[forms.Form] = [person_form, victim_form, place_form]
    return render(
        request,
        "cases/case_register.html",
        {
            "search_form": search_form,
            "results": _search_rows(results),
            "match_elsewhere": match_elsewhere,
            "person_form": person_form,
            "victim_form": victim_form,
            "place_form": place_form,
            "top_errors": [e for f in forms_ for e in f.non_field_errors()],
            "has_errors": any(f.errors for f in forms_),
            **(extra or {}),
        },
        status=status,
    )


RegisterCall = Callable[[PersonInput, VictimInput, PlaceInput], Case]


def case_register_handle(
    request: HttpRequest, *, register: RegisterCall, extra: Mapping[str, Any] | None = None
) -> HttpResponse:
    """The registration page: GET shows it, POST registers through ``register`` (a service
    call) and goes to the new case. ``extra`` lets a higher app add to the page: ``form_action``
    (where the form is sent) and ``register_note`` (a template shown above the form)."""
    if request.method != "POST":
        return _register_page(
            request,
            search_form=PersonSearchForm(),
            person_form=PersonForm(),
            victim_form=VictimForm(),
            place_form=PlaceForm(),
            extra=extra,
        )
    person_form = PersonForm(request.POST)
    victim_form = VictimForm(request.POST)
    place_form = PlaceForm(request.POST)
    forms_ = (person_form, victim_form, place_form)
    if all([person_form.is_valid(), victim_form.is_valid(), place_form.is_valid()]):
        try:
            case = register(person_form.to_input(), victim_form.to_input(), place_form.to_input())
        except ValidationError as error:
            service_errors_apply(error, *forms_)
        except InvalidState as error:
            person_form.add_error(None, str(error.message))
        else:
            messages.success(
                request, _("Case %(reference)s registered.") % {"reference": case.reference}
            )
            return redirect(case_detail_url(case.pk))
    else:
        # Every error at once: the service's checks of the fields that could be read, beside
        # the fields that could not (a bad e-mail must not hide a birth date in the future).
        errors = case_register_errors(
            person=person_form.to_input(),
            victim=victim_form.to_input(),
            place=place_form.to_input(),
        )
        service_errors_apply(ValidationError(errors), *forms_, only_new=True)
    return _register_page(
        request,
        search_form=PersonSearchForm(),
        person_form=person_form,
        victim_form=victim_form,
        place_form=place_form,
        status=FORM_INVALID,
        extra=extra,
    )


@actor_view(Capability.REGISTER_CASES)
def case_register_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Search first, then register: person, trafficking details and where it happened."""

    def register(person: PersonInput, victim: VictimInput, place: PlaceInput) -> Case:
        return case_register(actor=actor, person=person, victim=victim, place=place)

    return case_register_handle(request, register=register)


@require_http_methods(["GET", "POST"])
@actor_view(Capability.REGISTER_CASES)
def case_search(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Search before create (POST: names never go into a URL). HTMX gets just the results.
    Opened directly (a bookmark, a restored tab), it leads to the registration page's search."""
    if request.method != "POST":
        return redirect(reverse("cases:register") + "#search-heading")
    search_form = PersonSearchForm(request.POST)
    results: list[Case] | None = None
    elsewhere = False
    if search_form.is_valid():
        name = search_form.cleaned_data["search_name"] or ""
        birth_date: datetime.date | None = search_form.cleaned_data["search_birth_date"]
        if name.strip() or birth_date:
            found = cases_search(actor=actor, name=name, birth_date=birth_date, limit=SEARCH_LIMIT)
            results, elsewhere = found.cases, found.match_elsewhere
            case_identity_reads_record(actor=actor, cases=results, via=Via.SEARCH)
    if is_htmx(request):
        return render(
            request,
            "cases/_search_results.html",
            {
                "results": _search_rows(results),
                "match_elsewhere": elsewhere,
                "search_form": search_form,
            },
        )
    return _register_page(
        request,
        search_form=search_form,
        person_form=PersonForm(),
        victim_form=VictimForm(),
        place_form=PlaceForm(),
        results=results,
        match_elsewhere=elsewhere,
    )


@actor_view(Capability.READ_CASES)
def case_detail(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    view = case_open(actor=actor, case_id=case_id)
    return case_page(request, actor, view)


@require_POST
@actor_view(Capability.EDIT_CASES)
def case_victim_update_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = VictimUpdateForm(request.POST)
    status = FORM_INVALID
    bound: dict[str, Any] = {"victim_form": form}
    if form.is_valid():
        try:
            case_victim_update(
                actor=actor,
                case=case,
                expected_version=form.cleaned_data["expected_version"],
                victim=form.to_input(),
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except ConcurrentUpdate as error:
            # Keep what the worker typed; the page above now shows the current details, and
            # the next save is made against them.
            case.refresh_from_db()
            data = request.POST.copy()
            data["expected_version"] = str(case.version)
            bound["victim_form"] = VictimUpdateForm(data)
            bound["concurrent_update"] = error.message
            status = ConcurrentUpdate.status_code
        else:
            messages.success(request, _("Trafficking details saved."))
            return redirect(case_detail_url(case.pk, "victim"))
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound=bound, status=status)


@require_POST
@actor_view(Capability.EDIT_CASES)
def historic_event_add_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = PlaceForm(request.POST)
    if form.is_valid():
        try:
            historic_event_add(actor=actor, case=case, data=form.to_input())
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(request, _("Place and date added."))
            return redirect(case_detail_url(case.pk, "places"))
    else:
        # Every error at once: the service's checks of the fields that could be read too.
        errors = place_validate(form.to_input(), today=timezone.localdate())
        service_errors_apply(ValidationError(errors), form, only_new=True)
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound={"place_form": form}, status=FORM_INVALID)


@require_POST
@actor_view(Capability.EDIT_CASES)
def case_stage_change_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = StageForm(request.POST)
    status = FORM_INVALID
    bound: dict[str, Any] = {"stage_form": form}
    if form.is_valid():
        try:
            case = case_stage_change(
                actor=actor,
                case_id=case.pk,
                stage=form.cleaned_data["stage"],
                expected_version=form.cleaned_data["expected_version"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except ConcurrentUpdate as error:
            case.refresh_from_db()
            data = request.POST.copy()
            data["expected_version"] = str(case.version)
            bound["stage_form"] = StageForm(data)
            bound["concurrent_update"] = error.message
            status = ConcurrentUpdate.status_code
        else:
            messages.success(
                request,
                _("The case is now at the stage: %(stage)s.")
                % {"stage": case.get_nrm_stage_display()},
            )
            return redirect(case_detail_url(case.pk))
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound=bound, status=status)


def _person_part_update(
    request: HttpRequest, actor: Actor, case_id: str, part: str
) -> HttpResponse:
    case = case_for_change(actor=actor, case_id=case_id)
    form = PersonPartForm(request.POST, part=part)
    key = f"{part}_form"
    bound: dict[str, Any] = {key: form}
    status = FORM_INVALID
    if form.is_valid():
        try:
            person_part_update(
                actor=actor,
                case_id=case.pk,
                part=part,
                expected_version=form.cleaned_data["expected_version"],
                data=form.to_input(),
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except PartChanged as error:
            # Keep what the worker typed, against the current version; the facts above show
            # the current values and the message names what the other save changed.
            case.person.refresh_from_db()
            data = request.POST.copy()
            data["expected_version"] = str(part_version(case.person, part))
            bound[key] = PersonPartForm(data, part=part)
            bound["person_conflict"] = error.message
            bound["person_conflict_part"] = part
            status = PartChanged.status_code
        else:
            messages.success(
                request,
                _("Identity corrected.") if part == IDENTITY else _("Contact details saved."),
            )
            return redirect(case_detail_url(case.pk, part))
    else:
        errors = person_validate(form.to_input(), today=timezone.localdate())
        mine = {k: v for k, v in errors.items() if k in form.fields}
        service_errors_apply(ValidationError(mine), form, only_new=True)
    view = case_open(actor=actor, case_id=case.pk)
    return case_page(request, actor, view, bound=bound, status=status)


@require_POST
@actor_view(Capability.EDIT_CASES)
def person_identity_update_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    """Correct the person's names, birth date, citizenship and languages."""
    return _person_part_update(request, actor, case_id, IDENTITY)


@require_POST
@actor_view(Capability.EDIT_CASES)
def person_contact_update_view(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    """Update the person's phone, e-mail and safe way to contact."""
    return _person_part_update(request, actor, case_id, CONTACT)
