"""Toggl Focus shapes: attachments and tasks as the Go service writes them (RFC 3339 UTC times with
microseconds; ``omitempty`` fields left out)."""

from __future__ import annotations

from typing import Any

from mockserver.toggl.models import Attachment, Project, Task, User, rfc3339


def attachment(a: Attachment) -> dict[str, Any]:
    return {"id": a.id, f"{a.owner}_id": a.owner_id, "name": a.name, "mime_type": a.mime_type, "size": a.size,
            "display_order": a.display_order, "created_at": rfc3339(a.created_at),
            "updated_at": rfc3339(a.updated_at or a.created_at)}


def task(t: Task, aggregations: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": t.id, "workspace_id": t.workspace_id, "name": t.name, "description": t.description,
        "notes": t.notes, "toggl_user_id": t.toggl_user_id, "allocation_unit": "flat", "estimate_type": "total",
        "is_template": False, "pinned": t.pinned, "position": t.position, "priority": t.priority,
        "private": t.private, "billable": t.billable, "source": "api", "status_id": t.status_id, "tag_ids": [],
        "tags": [], "assignee_user_ids": list(t.assignee_user_ids), "created_at": rfc3339(t.created_at),
        "updated_at": rfc3339(t.updated_at or t.created_at),
    }
    if t.external_id is not None:
        body["metadata"] = {"external_id": t.external_id}
    if t.project_id is not None:
        body["project_id"] = t.project_id
    if t.start_date:
        body["start_date"] = t.start_date
    if t.end_date:
        body["end_date"] = t.end_date
    if aggregations:
        body.update({k: 0 for k in (
            "sub_task_done_count", "sub_task_total_count", "time_block_completed_count",
            "time_block_scheduled_completed_count", "time_block_scheduled_total_count", "time_block_total_count",
            "time_entry_total_count", "total_blocked_time", "total_scheduled_blocked_time", "total_tracked_time")})
    return body


def project(p: Project) -> dict[str, Any]:
    """A project as the project list writes it (``models.ProjectLite``'s fields and the workspace)."""
    return {"id": p.id, "workspace_id": p.workspace_id, "name": p.name, "draft": False, "is_template": False,
            "private": False, "permissions": []}


def page(items: list[dict[str, Any]], number: int, per_page: int, total: int) -> dict[str, Any]:
    """``PageWithTotal``: the page asked for, its size, the items, and how many match in all."""
    return {"page": number, "per_page": per_page, "data": items, "total": total}


def settings(user: User) -> dict[str, Any]:
    """``GET /users/me/settings``: the fields the vendor's documentation lists, at a new account's values."""
    return {"attachments_display_mode": "list", "autocomplete_task_with_time_block": False, "autolog_time": False,
            "calendar_range_type": "week", "calendar_show_calendar_events": True,
            "calendar_show_completed_tasks": True, "calendar_show_tasks_list": True,
            "calendar_split_view_columns": "", "current_workspace_id": user.current_workspace_id,
            "default_page": "calendar", "duration_format": "improved", "first_interaction": False,
            "focus_mode_count_up": False, "has_reached_task_threshold": False,
            "import_data_banner_dismissed": False, "language_code": "en-US", "new_users_trial_dismissed": False,
            "onboarding_checklist_dismissed": False, "onboarding_flow_dismissed": False,
            "onboarding_multi_day_task_created": False, "onboarding_task_dragged": False,
            "onboarding_variant_selected": "", "plan_tour_dismissed": False,
            "pomodoro_mode_auto_start_break": False, "pomodoro_mode_break_duration_mins": 5,
            "pomodoro_mode_session_duration_mins": 25, "pomodoro_mode_sound_enabled": True,
            "shortcuts_enabled": True, "show_google_calendar_events": True, "start_week_on": 1,
            "switch_to_focus_dismissed": False, "sync_external_calendar": "ask", "theme": "light",
            "time_block_color": "", "time_format": "H:mm", "time_tracking_mode": "manual",
            "time_tracking_mode_duration_mins": 25, "time_tracking_mode_enabled": False}
