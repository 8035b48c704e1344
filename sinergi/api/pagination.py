from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError

from sinergi.core import paging


class PageNumberPagination(pagination.PageNumberPagination):
    """`?page=2&page_size=100`; at most 500 rows a page. A page size that is not a whole
    number from 1 is refused (400) rather than silently replaced by the default."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.getlist(self.page_size_query_param)
        if raw and (len(raw) > 1 or not raw[0].isdigit() or int(raw[0]) < 1):
            raise ValidationError({self.page_size_query_param: [_("A whole number from 1.")]})
        return super().get_page_size(request)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1  # above max_page_size: max_page_size
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class VersionedCountPagination(PageNumberPagination):
    """The same, with the total cached until the registry changes (`core.paging`): counting
    a search over 100k enterprises costs more than the rest of the request."""

    def paginate_queryset(self, queryset, request, view=None):
        self.django_paginator_class = paging.list_paginator()
        return super().paginate_queryset(queryset, request, view)
