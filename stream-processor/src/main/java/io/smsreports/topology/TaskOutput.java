package io.smsreports.topology;

import io.smsreports.alerting.AlertDelta;
import io.smsreports.reporting.ReportingEvent;
import io.smsreports.reporting.RouteDelta;

/**
 * What an SMS task's delta processor sends: a campaign's delta (to the campaign's task), a route's delta (to the route's
 * task) or its alert delta (to the alerts).
 */
sealed interface TaskOutput {

    record ToRoute(RouteDelta delta) implements TaskOutput {
    }

    record ToCampaign(ReportingEvent event) implements TaskOutput {
    }

    record ToAlerts(AlertDelta delta) implements TaskOutput {
    }
}
