"""Web pages for screening: the indicator form with its live result, saved screenings, the
trafficking-status decision and the coordinator's catalogue page.

Thin: parse a form, call a selector or a service, render. The rule itself lives in ``rules``;
the words of a result in ``explain``; who may do what in ``policy``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.cases.choices import NrmStage
from tirek.cases.models import Case
from tirek.cases.page import Action, case_is_open
from tirek.cases.reads import SCREENING_SHOWS, Via, case_read_record
from tirek.cases.selectors import CaseView, case_view
from tirek.cases.services import PersonInput, PlaceInput, VictimInput
from tirek.cases.views import CasePanel, case_detail_url, case_register_handle
from tirek.core.errors import ConcurrentUpdate, Forbidden, InvalidState, NotFound
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID
from tirek.screening import policy
from tirek.screening.explain import (
    DIMENSION_NAMES,
    EXPLOITATION_WORDS,
    RULE_WORDS,
    next_step_explain,
    step_explain,
)
from tirek.screening.forms import (
    IndicatorRevisionForm,
    ListRevisionForm,
    ScreeningForm,
    StatusDecisionForm,
    note_name,
    source_name,
    tick_name,
)
from tirek.screening.models import (
    Catalogue,
    Indicator,
    ListKeyChoices,
    Screening,
    StrengthChoices,
)
from tirek.screening.registration import screening_carry_over_check, screening_case_register
from tirek.screening.rules import (
    AgeGroup,
    Dimension,
    ListKey,
    Outcome,
    age_group_decide,
    lists_select,
)
from tirek.screening.selectors import (
    catalogue_current,
    catalogue_get,
    catalogues_all,
    screening_get,
    screenings_for_case,
    screenings_visible_to,
)
from tirek.screening.services import (
    case_status_decide,
    catalogue_revise,
    screening_evaluate,
    screening_read_record,
    screening_save,
)

SCREENINGS_ON_CASE_PAGE = 10
SCREENINGS_PER_PAGE = 200
STRENGTH_NAMES = dict(StrengthChoices.choices)


def _language() -> str:
    return (get_language() or "en")[:2]


# --- a result, ready to show ---------------------------------------------------------------


@dataclass
class DimensionRow:
    name: str
    is_positive: bool
    rule: str
    decisive: list[str]
    observed: list[tuple[str, str]]  # (label, strength)


@dataclass
class ListResult:
    key: str
    title: str
    is_verified: bool
    verification_note: str
    is_presumed_victim: bool
    dimensions: list[DimensionRow]
    explanation: list[str]


@dataclass
class ResultView:
    """A screening result (live or stored) in the active language."""

    outcome: str
    headline: str
    next_step: str
    lists: list[ListResult] = field(default_factory=list)
    observed_count: int = 0

    @property
    def is_presumed_victim(self) -> bool:
        return self.outcome == Outcome.PRESUMED_VICTIM


def result_view(catalogue: Catalogue, result: Mapping[str, Any]) -> ResultView:
    """Turn the stored/returned result JSON into labelled rows and sentences."""
    language = _language()
    indicators = {i.code: i for i in catalogue.indicators.all()}
    list_rows = {item.key: item for item in catalogue.lists.all()}
    labels = {code: i.label(language) for code, i in indicators.items()}
    lists = []
    observed: set[str] = set()
    for item in result["lists"]:
        key = item["list"]
        meta = list_rows.get(key)
        dimensions = []
        for dim in item["dimensions"]:
            observed.update(dim["observed"])
            dimensions.append(
                DimensionRow(
                    name=str(DIMENSION_NAMES[dim["dimension"]]),
                    is_positive=dim["is_positive"],
                    rule=str(RULE_WORDS[dim["rule"]]) if dim["rule"] else "",
                    decisive=[labels.get(c, c) for c in dim["decisive"]],
                    observed=[
                        (
                            labels.get(c, c),
                            str(STRENGTH_NAMES.get(indicators[c].strength_on(key), ""))
                            if c in indicators
                            else "",
                        )
                        for c in dim["observed"]
                    ],
                )
            )
        lists.append(
            ListResult(
                key=key,
                title=meta.title(language) if meta else key,
                is_verified=meta.is_verified if meta else True,
                verification_note=meta.verification_note if meta else "",
                is_presumed_victim=item["outcome"] == Outcome.PRESUMED_VICTIM,
                dimensions=dimensions,
                explanation=[step_explain(s["key"], s["params"], labels) for s in item["trace"]],
            )
        )
    forms_ = [str(EXPLOITATION_WORDS[e]) for e in result["presumed_exploitation"]]
    if result["outcome"] == Outcome.PRESUMED_VICTIM:
        headline = _("Presumed victim of trafficking for %(forms)s") % {
            "forms": _(" and ").join(forms_)
        }
    else:
        headline = _("Not enough indicators")
    return ResultView(
        outcome=result["outcome"],
        headline=headline,
        next_step=next_step_explain(result["next_step"]),
        lists=lists,
        observed_count=len(observed),
    )


# --- the screening form --------------------------------------------------------------------


@dataclass
class IndicatorItem:
    """One indicator of the form. Every indicator of the catalogue is on the page, so that a
    change of age or exploitation never removes a box that was ticked; one that is not on the
    selected list(s) is hidden unless ticked (``is_on_lists``)."""

    indicator: Indicator
    label: str
    strength: str
    is_on_lists: bool
    tick: Any
    note: Any
    source: Any


@dataclass
class DimensionGroup:
    dimension: str
    name: str
    items: list[IndicatorItem]

    @property
    def ticked(self) -> int:
        return sum(1 for item in self.items if item.tick.value())


def _catalogue_of(request: HttpRequest) -> Catalogue:
    """The version the person is screening with: the one their form was made with, so a new
    catalogue published meanwhile does not change what they saw."""
    catalogue_id = request.POST.get("catalogue")
    if catalogue_id:
        try:
            return catalogue_get(catalogue_id=catalogue_id)
        except NotFound:
            pass
    return catalogue_current()


def _age_group(form: ScreeningForm, case_age: int | None) -> tuple[AgeGroup, str]:
    age = form.age_value()
    if age is None:
        age = case_age  # as screening_save does: the case's age when none is given
    childhood = bool(form.value_of("has_signs_of_childhood"))
    group = age_group_decide(age_at_exploitation=age, has_signs_of_childhood=childhood)
    if age is not None:
        reason = _("age %(age)s at the time of exploitation") % {"age": age}
    elif childhood:
        reason = _("age unknown, with signs of childhood: treated as a child")
    else:
        reason = _("age unknown, no signs of childhood")
    return group, reason


def _groups(
    form: ScreeningForm, indicators: Sequence[Indicator], keys: Sequence[ListKey]
) -> list[DimensionGroup]:
    language = _language()
    groups = {d.value: DimensionGroup(d.value, str(DIMENSION_NAMES[d]), []) for d in Dimension}
    for indicator in indicators:
        strengths = [s for key in keys if (s := indicator.strength_on(key))]
        groups[indicator.dimension].items.append(
            IndicatorItem(
                indicator=indicator,
                label=indicator.label(language),
                strength=" / ".join(str(STRENGTH_NAMES[s]) for s in dict.fromkeys(strengths)),
                is_on_lists=bool(strengths),
                tick=form[tick_name(indicator.code)],
                note=form[note_name(indicator.code)],
                source=form[source_name(indicator.code)],
            )
        )
    return [g for g in groups.values() if g.items]


def _screen_context(
    catalogue: Catalogue, form: ScreeningForm, view: CaseView | None
) -> dict[str, Any]:
    """Everything the screening page and its live parts need, from the form as it stands."""
    case = view.case if view else None
    age_group, age_reason = _age_group(form, case.age_when_trafficked if case else None)
    keys = lists_select(age_group=age_group, scope=form.scope_value())
    assessment = screening_evaluate(
        catalogue=catalogue,
        age_group=age_group,
        scope=form.scope_value(),
        codes=form.ticked_codes(),
    )
    language = _language()
    list_rows = {item.key: item for item in catalogue.lists.all()}
    selected = [list_rows[k.value] for k in keys if k.value in list_rows]
    if case is not None:
        page_url = reverse("screening:case_new", args=[case.pk])
        assess_url = reverse("screening:case_assess", args=[case.pk])
    else:
        page_url = reverse("screening:new")
        assess_url = reverse("screening:assess")
    return {
        "catalogue": catalogue,
        "case": case,
        "form": form,
        "age_group": age_group,
        "age_reason": age_reason,
        "selected_lists": [{"title": item.title(language), "item": item} for item in selected],
        "groups": _groups(form, list(catalogue.indicators.all()), keys),
        "result": result_view(catalogue, assessment.as_dict()),
        "is_live": True,
        "page_url": page_url,
        "assess_url": assess_url,
    }


def _form_for(request: HttpRequest, catalogue: Catalogue, view: CaseView | None) -> ScreeningForm:
    indicators = list(catalogue.indicators.all())
    if request.method == "POST":
        return ScreeningForm(request.POST, indicators=indicators)
    initial: dict[str, Any] = {"catalogue": catalogue.pk}
    if view is not None and view.case.age_when_trafficked is not None:
        initial["age_at_exploitation"] = view.case.age_when_trafficked
    return ScreeningForm(initial=initial, indicators=indicators)


def _screen(request: HttpRequest, actor: Actor, view: CaseView | None) -> HttpResponse:
    """GET: an empty form. POST ``action=save``: save; otherwise (``Check`` without JavaScript)
    re-render the page with the result. With JavaScript, every change asks ``assess`` for the
    result instead, which never replaces what the person typed or ticked."""
    catalogue = _catalogue_for_request(request)
    form = _form_for(request, catalogue, view)
    status = 200
    if request.method == "POST" and request.POST.get("action") == "save":
        if form.is_valid():
            try:
                screening = screening_save(
                    actor=actor,
                    catalogue=catalogue,
                    data=form.to_input(),
                    case=view.case if view else None,
                )
            except ValidationError as error:
                service_errors_apply(error, form)
            else:
                messages.success(request, _("Screening saved."))
                if view is not None:
                    return redirect(case_detail_url(view.case.pk, "screenings"))
                return redirect("screening:detail", screening_id=screening.pk)
        status = FORM_INVALID
    context = _screen_context(catalogue, form, view)
    return render(request, "screening/screen.html", context, status=status)


def _catalogue_for_request(request: HttpRequest) -> Catalogue:
    return _catalogue_of(request) if request.method == "POST" else catalogue_current()


def _case_to_screen(actor: Actor, case_id: str, *, record: bool) -> CaseView:
    view = case_view(actor=actor, case_id=case_id)
    if not policy.can_screen_case(actor, view):
        raise Forbidden(_("You cannot screen this case."))
    if record:
        case_read_record(actor=actor, view=view, via=Via.SCREENING, shows=SCREENING_SHOWS)
    return view


@actor_view(Capability.READ_CASES)
def screening_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A stand-alone anonymous screening: no case, no personal data."""
    return _screen(request, actor, None)


@actor_view(Capability.READ_CASES)
def case_screening_new(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    """A screening of a case; the case page's read is recorded when the form is opened."""
    view = _case_to_screen(actor, case_id, record=request.method != "POST")
    return _screen(request, actor, view)


def _assess(request: HttpRequest, view: CaseView | None) -> HttpResponse:
    catalogue = _catalogue_of(request)
    form = ScreeningForm(request.POST, indicators=list(catalogue.indicators.all()))
    context = _screen_context(catalogue, form, view)
    return render(request, "screening/_result.html", context)


@require_POST
@actor_view(Capability.READ_CASES)
def screening_assess(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The live result of the form as it stands (HTMX); stores nothing."""
    if not policy.can_screen(actor):
        raise Forbidden(_("Your role does not allow screening."))
    return _assess(request, None)


@require_POST
@actor_view(Capability.READ_CASES)
def case_screening_assess(request: HttpRequest, actor: Actor, case_id: str) -> HttpResponse:
    """The live result for a case (its recorded age counts when none is typed); stores nothing."""
    return _assess(request, _case_to_screen(actor, case_id, record=False))


# --- saved screenings ----------------------------------------------------------------------


@actor_view(Capability.READ_CASES)
def screening_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The agency's screenings: anonymous ones it made and those on its cases."""
    screenings = screenings_visible_to(actor=actor).select_related("case")[:SCREENINGS_PER_PAGE]
    return render(
        request,
        "screening/list.html",
        {
            "screenings": [_row(s) for s in screenings],
            "can_edit_catalogue": policy.can_edit_catalogue(actor),
        },
    )


def _row(screening: Screening) -> dict[str, Any]:
    keys = [item["list"] for item in screening.result.get("lists", [])]
    names = dict(_list_names())
    exploitation = [str(EXPLOITATION_WORDS[e]) for e in screening.presumed_exploitation]
    return {
        "screening": screening,
        "lists": [names.get(k, k) for k in keys],
        "exploitation": exploitation,
    }


def _list_names() -> Iterable[tuple[str, str]]:
    return ((value, str(label)) for value, label in ListKeyChoices.choices)


def _detail_page(
    request: HttpRequest,
    actor: Actor,
    screening: Screening,
    *,
    decision_form: StatusDecisionForm | None = None,
    concurrent_update: str = "",
    status: int = 200,
) -> HttpResponse:
    language = _language()
    catalogue = screening.catalogue
    view = None
    can_decide = False
    if screening.case_id is not None:
        view = case_view(actor=actor, case_id=screening.case_id)
        can_decide = policy.can_decide_status(actor, view)
    if can_decide and decision_form is None and view is not None:
        decision_form = StatusDecisionForm(initial={"expected_version": view.case.version})
    current = catalogue_current()
    carried_to = Screening.objects.filter(carried_over_from=screening).select_related("case")
    carried = carried_to.first()
    observed = [
        {"observation": o, "label": o.indicator.label(language)}
        for o in screening.observed.select_related("indicator")
    ]
    names = dict(_list_names())
    return render(
        request,
        "screening/detail.html",
        {
            "screening": screening,
            "case": view.case if view else None,
            "catalogue": catalogue,
            "current_catalogue": current,
            "result": result_view(catalogue, screening.result),
            "lists": [names.get(i["list"], i["list"]) for i in screening.result["lists"]],
            "observed": observed,
            "decisions": screening.status_decisions.select_related("decided_by", "agency"),
            "can_decide": can_decide,
            "can_register_case": screening.case_id is None
            and carried is None
            and actor.can(Capability.REGISTER_CASES),
            "carried_over_to": carried,
            "decision_form": decision_form,
            "concurrent_update": concurrent_update,
        },
        status=status,
    )


@actor_view(Capability.READ_CASES)
def screening_detail(request: HttpRequest, actor: Actor, screening_id: str) -> HttpResponse:
    """One saved screening, with the result of the catalogue version it was made with."""
    screening = screening_get(actor=actor, screening_id=screening_id)
    screening_read_record(actor=actor, screening=screening)
    return _detail_page(request, actor, screening)


@require_POST
@actor_view(Capability.READ_CASES)
def status_decide_view(request: HttpRequest, actor: Actor, screening_id: str) -> HttpResponse:
    """Record the case's trafficking status, citing this screening."""
    screening = screening_get(actor=actor, screening_id=screening_id)
    if screening.case is None:
        raise NotFound()
    form = StatusDecisionForm(request.POST)
    concurrent = ""
    status = FORM_INVALID
    if form.is_valid():
        try:
            case_status_decide(
                actor=actor,
                case=screening.case,
                expected_version=form.cleaned_data["expected_version"],
                status=form.cleaned_data["status"],
                screening=screening,
                reasons=form.cleaned_data["reasons"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except ConcurrentUpdate as error:
            # Keep what was chosen; the next try is made against the case as it is now.
            screening.case.refresh_from_db()
            data = request.POST.copy()
            data["expected_version"] = str(screening.case.version)
            form = StatusDecisionForm(data)
            concurrent = str(error.message)
            status = ConcurrentUpdate.status_code
        else:
            messages.success(request, _("Trafficking status recorded."))
            return redirect(case_detail_url(screening.case.pk, "victim"))
    return _detail_page(
        request,
        actor,
        screening,
        decision_form=form,
        concurrent_update=concurrent,
        status=status,
    )


# --- a case from an anonymous screening ----------------------------------------------------


@actor_view(Capability.REGISTER_CASES)
def screening_case_register_view(
    request: HttpRequest, actor: Actor, screening_id: str
) -> HttpResponse:
    """The registration page (search first, then the person), for the person of an anonymous
    screening who now agrees: the new case gets the screening's indicators."""
    try:
        screening = screening_carry_over_check(actor=actor, screening_id=screening_id)
    except InvalidState as error:
        messages.error(request, str(error.message))
        return redirect("screening:detail", screening_id=screening_id)

    def register(person: PersonInput, victim: VictimInput, place: PlaceInput) -> Case:
        return screening_case_register(
            actor=actor, screening_id=screening.pk, person=person, victim=victim, place=place
        )

    note = {
        "template": "screening/_carry_over_note.html",
        "screening": screening,
        "indicators": screening.observed.count(),
        "result": result_view(screening.catalogue, screening.result),
    }
    return case_register_handle(
        request,
        register=register,
        extra={
            "form_action": reverse("screening:case_register", args=[screening.pk]),
            "register_note": note,
        },
    )


# --- the case page's panel -----------------------------------------------------------------


def _panel_context(
    request: HttpRequest, actor: Actor, view: CaseView, bound: Mapping[str, Any]
) -> dict[str, Any] | None:
    if not policy.can_see_case_screenings(actor, view):
        return None
    screenings = list(screenings_for_case(actor=actor, view=view)[:SCREENINGS_ON_CASE_PAGE])
    return {
        "case": view.case,
        "screenings": [_row(s) for s in screenings],
        "can_screen": policy.can_screen_case(actor, view),
    }


def screening_actions(actor: Actor, view: CaseView) -> list[Action]:
    """Screening is the first step while the person is being identified."""
    if not (policy.can_screen_case(actor, view) and case_is_open(view)):
        return []
    return [
        Action(
            _("Screen for trafficking indicators"),
            reverse("screening:case_new", args=[view.case.pk]),
            order=10,
            primary=view.case.nrm_stage == NrmStage.IDENTIFICATION,
        )
    ]


SCREENINGS_PANEL = CasePanel(
    name="screenings",
    order=5,
    template="screening/_case_screenings.html",
    context=_panel_context,
    tab="screening",
    visible_for=policy.can_see_case_screenings,
)


# --- the catalogue (coordinators) ----------------------------------------------------------


def _require_editor(actor: Actor) -> None:
    if not policy.can_edit_catalogue(actor):
        raise Forbidden(_("Only a coordinator can edit the indicator catalogue."))


def _stale(form: IndicatorRevisionForm | ListRevisionForm, current: Catalogue) -> bool:
    """Whether someone published a new version since the form was opened."""
    return form.is_valid() and form.cleaned_data["base"] != current.pk


STALE_MESSAGE = _(
    "A new catalogue version was published while you were editing. Check the current values "
    "and save again."
)


@actor_view()
def catalogue_page(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The current catalogue version, its lists and indicators, and every earlier version."""
    _require_editor(actor)
    catalogue = catalogue_current()
    return _catalogue_page(request, catalogue)


def _catalogue_page(
    request: HttpRequest,
    catalogue: Catalogue,
    *,
    list_form: ListRevisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    language = _language()
    keys = [k.value for k in ListKey]
    names = dict(_list_names())
    groups: dict[str, dict[str, Any]] = {
        d.value: {"name": str(DIMENSION_NAMES[d]), "rows": []} for d in Dimension
    }
    for indicator in catalogue.indicators.all():
        groups[indicator.dimension]["rows"].append(
            {
                "indicator": indicator,
                "label": indicator.label(language),
                "strengths": [
                    (names[k], str(STRENGTH_NAMES.get(indicator.strength_on(k), "–"))) for k in keys
                ],
            }
        )
    lists = []
    for item in catalogue.lists.all():
        lists.append(
            {
                "item": item,
                "title": item.title(language),
                "form": list_form
                if list_form is not None and list_form.data.get("key") == item.key
                else ListRevisionForm(
                    initial={
                        "base": catalogue.pk,
                        "key": item.key,
                        "is_verified": item.is_verified,
                        "verification_note": item.verification_note,
                    },
                    auto_id=f"id_{item.key}_%s",
                ),
            }
        )
    return render(
        request,
        "screening/catalogue.html",
        {
            "catalogue": catalogue,
            "groups": [g for g in groups.values() if g["rows"]],
            "list_names": [names[k] for k in keys],
            "lists": lists,
            "versions": catalogues_all().select_related("created_by", "created_by_agency"),
        },
        status=status,
    )


def _indicator_form(
    data: Any, indicator: Indicator | None, initial: dict[str, Any]
) -> IndicatorRevisionForm:
    form = IndicatorRevisionForm(data, initial=initial)
    if indicator is not None:  # an existing indicator keeps its code and dimension
        form.fields["code"].disabled = True
        form.fields["dimension"].disabled = True
    return form


@actor_view()
def catalogue_indicator_edit(
    request: HttpRequest, actor: Actor, code: str | None = None
) -> HttpResponse:
    """Change one indicator, or add one (no ``code``), publishing a new catalogue version."""
    _require_editor(actor)
    current = catalogue_current()
    indicator = None
    if code is not None:
        indicator = current.indicators.filter(code=code).first()
        if indicator is None:
            raise NotFound()
    initial: dict[str, Any] = {"base": current.pk}
    if indicator is not None:
        initial |= IndicatorRevisionForm.initial_from(indicator)
    status = 200
    if request.method != "POST":
        form = _indicator_form(None, indicator, initial)
    else:
        form = _indicator_form(request.POST, indicator, initial)
        status = FORM_INVALID
        if _stale(form, current):
            data = request.POST.copy()
            data["base"] = str(current.pk)
            form = _indicator_form(data, indicator, initial)
            form.is_valid()
            form.add_error(None, STALE_MESSAGE)
            status = ConcurrentUpdate.status_code
        elif form.is_valid():
            new_code = form.cleaned_data["code"].strip()
            if indicator is None and current.indicators.filter(code=new_code).exists():
                form.add_error("code", _("This code is taken: give a new indicator a new code."))
            else:
                try:
                    revised = catalogue_revise(
                        actor=actor,
                        base=current,
                        changes=[form.to_change()],
                        change_note=form.cleaned_data["change_note"],
                    )
                except ValidationError as error:
                    service_errors_apply(error, form)
                else:
                    messages.success(
                        request,
                        _("Catalogue version %(number)s published.") % {"number": revised.number},
                    )
                    return redirect("screening:catalogue")
    return render(
        request,
        "screening/catalogue_indicator.html",
        {"form": form, "indicator": indicator, "catalogue": current},
        status=status,
    )


@require_POST
@actor_view()
def catalogue_list_edit(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Mark a list checked against its source (or not), publishing a new catalogue version."""
    _require_editor(actor)
    current = catalogue_current()
    key = request.POST.get("key", "")
    form = ListRevisionForm(request.POST, auto_id=f"id_{key}_%s")
    status = FORM_INVALID
    if _stale(form, current):
        form.add_error(None, STALE_MESSAGE)
        status = ConcurrentUpdate.status_code
    elif form.is_valid():
        try:
            revised = catalogue_revise(
                actor=actor,
                base=current,
                lists=[form.to_change()],
                change_note=form.cleaned_data["change_note"],
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(
                request, _("Catalogue version %(number)s published.") % {"number": revised.number}
            )
            return redirect("screening:catalogue")
    return _catalogue_page(request, current, list_form=form, status=status)
