from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    """Render every form with Sammen's field markup (label, help, inline errors, input)."""

    form_template_name = "forms/div.html"
    field_template_name = "forms/field.html"
