from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app as celery_app
from registry import selectors, services
from registry.forms import ProfileForm, SignUpForm


def home(request):
    clusters = selectors.clusters_with_topics()
    counts = selectors.status_counts(selectors.topics_with_status())
    return render(request, "registry/home.html", {"clusters": clusters, "counts": counts})


def topic_detail(request, slug):
    topic = get_object_or_404(selectors.topics_with_status(), slug=slug)
    return render(request, "registry/topic_detail.html", {"topic": topic})


def about(request):
    return render(request, "registry/about.html")


def sign_up(request):
    if request.user.is_authenticated:
        return redirect("registry:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = services.account_create(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
        )
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Welcome to Gapmap. Tell people who you are on your profile.")
        return redirect("registry:profile-edit")
    return render(request, "registry/sign_up.html", {"form": form})


def profile(request, username):
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    return render(request, "registry/profile.html",
                  {"person": person, "profile": services.profile_for(person)})


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=services.profile_for(request.user))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your profile is saved.")
        return redirect("registry:profile", username=request.user.username)
    return render(request, "registry/profile_edit.html", {"form": form})


@never_cache
@require_GET
def healthz(request):
    report, healthy = {}, True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        report["database"] = "ok"
    except Exception as error:  # any failure here means "not healthy", whatever its class
        report["database"], healthy = f"error: {error.__class__.__name__}", False
    if celery_app.conf.task_always_eager:
        report["broker"] = "eager"
    else:
        try:
            with celery_app.connection_for_write() as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            report["broker"] = "ok"
        except Exception as error:
            report["broker"], healthy = f"error: {error.__class__.__name__}", False
    return JsonResponse(report, status=200 if healthy else 503)
