"""Web pages of the service directory: search, one service, describe a service, free places."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tirek.accounts.actor import Actor
from tirek.accounts.models import Agency
from tirek.accounts.roles import Capability
from tirek.accounts.views import actor_view
from tirek.core.errors import ConcurrentUpdate, NotFound
from tirek.core.forms import service_errors_apply
from tirek.core.views import FORM_INVALID, is_htmx
from tirek.directory.agencies import AgencyNames, agencies_renamable_by, agency_names_update
from tirek.directory.forms import (
    AgencyNamesForm,
    CapacityForm,
    DirectoryImportForm,
    DirectorySearchForm,
    ServiceForm,
    service_initial,
)
from tirek.directory.hsds import DirectoryImportError, hsds_export, hsds_filename, hsds_import
from tirek.directory.policy import (
    can_exchange_directory,
    can_manage_services,
    can_rename_agencies,
    can_update_capacity,
)
from tirek.directory.presenters import CapacityCard, service_card
from tirek.directory.selectors import (
    DirectoryFilter,
    capacities_of_agency,
    capacity_get,
    service_get,
    services_search,
)
from tirek.directory.services import capacity_set, service_create, service_update

LIST_LIMIT = 100


def _filter(form: DirectorySearchForm) -> DirectoryFilter:
    if not form.is_valid():
        return DirectoryFilter()
    data = form.cleaned_data
    return DirectoryFilter(
        text=data["q"],
        service_type=data["service_type"].code if data["service_type"] else "",
        territory=data["territory"].code if data["territory"] else "",
        language=data["language"],
        sex=data["sex"],
        age=data["age"],
        citizenship=data["citizenship"],
        free_places_only=data["free_places"],
    )


@actor_view()
def directory_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Every provider's services, searchable and filterable; results refresh as filters change."""
    form = DirectorySearchForm(request.GET or None)
    services = list(services_search(_filter(form))[: LIST_LIMIT + 1])
    context = {
        "form": form,
        "cards": [service_card(s, actor) for s in services[:LIST_LIMIT]],
        "more": len(services) > LIST_LIMIT,
        "can_add": actor.can(Capability.MANAGE_DIRECTORY)
        or actor.can(Capability.MANAGE_REFERENCE_DATA),
    }
    template = "directory/_results.html" if is_htmx(request) else "directory/list.html"
    return render(request, template, context)


@actor_view()
def directory_detail(request: HttpRequest, actor: Actor, service_id: str) -> HttpResponse:
    service = service_get(service_id=service_id)
    return render(request, "directory/detail.html", {"card": service_card(service, actor)})


def _service_form_page(
    request: HttpRequest, form: ServiceForm, service: Any, status: int = 200
) -> HttpResponse:
    return render(
        request, "directory/service_form.html", {"form": form, "service": service}, status=status
    )


@actor_view()
def service_new(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Describe a new service of the actor's agency (any agency, for reference-data admins)."""
    choose_agency = actor.can(Capability.MANAGE_REFERENCE_DATA)
    if not (choose_agency or actor.can(Capability.MANAGE_DIRECTORY)):
        raise PermissionDenied(_("Your role does not allow this action."))
    if request.method != "POST":
        form = ServiceForm(choose_agency=choose_agency, initial={"status": "active", "sex": "any"})
        return _service_form_page(request, form, None)
    form = ServiceForm(request.POST, choose_agency=choose_agency)
    if form.is_valid():
        agency = form.cleaned_data.get("agency") or actor.agency
        try:
            service = service_create(actor=actor, agency_id=agency.pk, data=form.to_input())
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            messages.success(request, _("The service is in the directory."))
            return redirect("directory:detail", service.pk)
    return _service_form_page(request, form, None, status=FORM_INVALID)


@actor_view()
def service_edit(request: HttpRequest, actor: Actor, service_id: str) -> HttpResponse:
    service = service_get(service_id=service_id)
    if not can_manage_services(actor, service.agency_id):
        raise PermissionDenied(
            _("Only the agency's administrators and coordinators describe its services.")
        )
    if request.method != "POST":
        return _service_form_page(request, ServiceForm(initial=service_initial(service)), service)
    form = ServiceForm(request.POST)
    if form.is_valid():
        try:
            service_update(
                actor=actor,
                service_id=service.pk,
                expected_version=form.cleaned_data["version"] or 0,
                data=form.to_input(),
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        except ConcurrentUpdate as error:
            form.add_error(None, str(error.message))
        else:
            messages.success(request, _("The service is updated."))
            return redirect("directory:detail", service.pk)
    return _service_form_page(request, form, service, status=FORM_INVALID)


@actor_view(Capability.UPDATE_CAPACITY)
def free_places(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The agency's free places, each one tap away from being updated."""
    capacities = capacities_of_agency(agency_id=actor.membership.agency_id)
    cards = [CapacityCard(capacity=c, can_update=True) for c in capacities]
    return render(request, "directory/free_places.html", {"cards": cards})


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
@actor_view()
def capacity_set_view(request: HttpRequest, actor: Actor, capacity_id: str) -> HttpResponse:
    """One tap: the new number of free places, stamped with the time. HTMX gets the fresh box."""
    if not can_update_capacity(actor, capacity_get(capacity_id=capacity_id).service.agency_id):
        raise PermissionDenied(_("Only the provider's own workers update its free places."))
    form = CapacityForm(request.POST)
    error = ""
    status = 200
    if not form.is_valid():
        error = "; ".join(str(m) for messages_ in form.errors.values() for m in messages_)
        status = FORM_INVALID
    else:
        try:
            capacity_set(
                actor=actor,
                capacity_id=capacity_id,
                available=form.cleaned_data["available"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as invalid:
            error, status = "; ".join(invalid.messages), FORM_INVALID
        except ConcurrentUpdate as conflict:
            error, status = str(conflict.message), conflict.status_code
    capacity = capacity_get(capacity_id=capacity_id)
    if is_htmx(request):
        card = CapacityCard(capacity=capacity, can_update=True)
        context = {
            "card": card,
            "error": error,
            "done": not error,
            "next": request.POST.get("next", ""),
        }
        return render(request, "directory/_capacity.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Free places updated."))
    return redirect(_next_url(request, reverse("directory:detail", args=[capacity.service_id])))


# --- exchange as an HSDS datapackage ---------------------------------------------------------


@actor_view()
def directory_export_view(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The whole directory as an HSDS datapackage: it holds no personal data."""
    response = HttpResponse(hsds_export(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{hsds_filename()}"'
    return response


@actor_view()
def directory_exchange(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Download the directory; reference-data administrators also load one (HSDS datapackage)."""
    can_import = can_exchange_directory(actor)
    if request.method == "POST" and not can_import:
        raise PermissionDenied(_("Only the reference-data administrators load a whole directory."))
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                report = hsds_import(actor=actor, data=form.cleaned_data["file"].read())
            except DirectoryImportError as refused:
                problems, status = refused.problems, FORM_INVALID
                form.add_error("file", str(refused.message))
            else:
                messages.success(
                    request,
                    _(
                        "Directory loaded: %(services)d services (%(new)d new), "
                        "%(organizations)d organizations (%(new_organizations)d new)."
                    )
                    % {
                        "services": report.services_created + report.services_updated,
                        "new": report.services_created,
                        "organizations": report.organizations_created
                        + report.organizations_updated,
                        "new_organizations": report.organizations_created,
                    },
                )
                return redirect("directory:list")
        else:
            status = FORM_INVALID
    context = {"form": form, "can_import": can_import, "problems": problems}
    return render(request, "directory/exchange.html", context, status=status)


# --- agencies' names in kk/ru/en -------------------------------------------------------------


def _names_form(agency: Agency, data: Any = None) -> AgencyNamesForm:
    return AgencyNamesForm(
        data,
        prefix=f"a{agency.pk.hex[:8]}",
        initial={f: getattr(agency, f) for f in ("name", "name_ru", "name_kk", "short_name")},
    )


def _require_renamer(actor: Actor) -> None:
    if not can_rename_agencies(actor):
        raise PermissionDenied(_("Only administrators edit agencies' names."))


@require_GET
@actor_view()
def agency_names_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The agencies whose names the administrator may edit, each with its form."""
    _require_renamer(actor)
    rows = [{"agency": a, "form": _names_form(a)} for a in agencies_renamable_by(actor)]
    return render(request, "directory/agencies.html", {"rows": rows})


@require_POST
@actor_view()
def agency_names_edit(request: HttpRequest, actor: Actor, agency_id: str) -> HttpResponse:
    _require_renamer(actor)
    agency = Agency.objects.filter(pk=agency_id).first()
    if agency is None:
        raise NotFound()
    form = _names_form(agency, request.POST)
    saved = False
    if form.is_valid():
        try:
            agency = agency_names_update(
                actor=actor, agency_id=agency.pk, names=AgencyNames(**form.cleaned_data)
            )
        except ValidationError as error:
            service_errors_apply(error, form)
        else:
            saved = True
    status = 200 if saved else FORM_INVALID
    row = {"agency": agency, "form": _names_form(agency) if saved else form, "saved": saved}
    if is_htmx(request):
        return render(request, "directory/_agency_names.html", {"row": row}, status=status)
    if saved:
        messages.success(request, _("The names are saved."))
        return redirect("directory:agencies")
    rows = [
        row if a.pk == agency.pk else {"agency": a, "form": _names_form(a)}
        for a in agencies_renamable_by(actor)
    ]
    return render(request, "directory/agencies.html", {"rows": rows}, status=status)
