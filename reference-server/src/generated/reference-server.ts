/**
 * DO NOT EDIT: generated from specs/openapi/reference-server.yaml by `npm run specs`.
 * Edit the specification and regenerate instead.
 */

export interface paths {
    "/api/v1/alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * KPI alerts, newest first
         * @description Needs `alerts:read`; scoped like the scorecard.
         */
        get: operations["listAlerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{alertId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: components["parameters"]["AlertId"];
            };
            cookie?: never;
        };
        /** One alert */
        get: operations["getAlert"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{alertId}/acknowledge": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: components["parameters"]["AlertId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Acknowledge an open alert (open → acknowledged)
         * @description Needs `alerts:write` (operators). Records who and when; audited; publishes `kpi.alert.updated`.
         */
        post: operations["acknowledgeAlert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/alerts/{alertId}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: components["parameters"]["AlertId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve an open or acknowledged alert
         * @description Needs `alerts:write` (operators). Records who, when and the note; audited; publishes `kpi.alert.updated`.
         */
        post: operations["resolveAlert"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit records in sequence order
         * @description Needs the `audit:read` scope (province leadership, operators).
         */
        get: operations["listAuditEntries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recompute the audit log's hash chain
         * @description Needs the `audit:read` scope. `ok` is false when a record was altered, removed or reordered.
         */
        get: operations["verifyAuditLog"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Registered cameras
         * @description Needs `cameras:read`. Leadership and operators see every camera, a department those its unit owns
         *     (`dept` = `unit`), a district those standing in its area. Passwords are never returned
         *     (`hasPassword` says whether one is stored).
         */
        get: operations["listCameras"];
        put?: never;
        /**
         * Register a camera
         * @description Needs `cameras:write` (operators). The password is sealed with AES-256-GCM (`CAMERA_SECRET_KEY`)
         *     before it is stored and is never returned. An `onvif` or `isapi` camera that is `enabled` gets an
         *     event subscription run by the server at once (pull point or alert stream, reconnecting with backoff)
         *     and a health probe every `CAMERA_HEALTH_INTERVAL_MS`. Audited.
         */
        post: operations["registerCamera"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{cameraId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        /**
         * One camera
         * @description Needs `cameras:read`; 404 when the caller may not see it.
         */
        get: operations["getCamera"];
        /**
         * Replace a camera's registration
         * @description Needs `cameras:write`. Without `password` the stored one is kept; `password: null` removes it. The
         *     subscription restarts with the new settings. Audited.
         */
        put: operations["updateCamera"];
        post?: never;
        /**
         * Remove a camera from the registry
         * @description Needs `cameras:write`. Ends its subscription; its incidents are kept. Audited.
         */
        delete: operations["deleteCamera"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{cameraId}/events/frigate": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Ingest a Frigate NVR event for a camera
         * @description Needs `cameras:ingest` (machine clients: the bridge forwarding Frigate's `frigate/events` MQTT
         *     messages). The message is normalized by `mapFrigateEvent` (plate reads, face matches, zone
         *     intrusions, tracked objects) and handled like a subscribed camera's event: it may open an incident
         *     or join an open one. Frigate's own snapshot links are not passed on.
         */
        post: operations["ingestFrigateEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{cameraId}/health": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        /**
         * Connection health of a camera
         * @description Needs `cameras:read`. `online` after a successful probe or event; `offline` while a probe fails or
         *     the event subscription reconnects (after a reboot or a dropped connection it recovers by itself).
         */
        get: operations["getCameraHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/{cameraId}/snapshot": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        /**
         * A snapshot from the camera, proxied
         * @description Needs `cameras:read`. The server fetches the image with the camera's credentials (ONVIF
         *     GetSnapshotUri, ISAPI picture), so the browser never sees them.
         */
        get: operations["getCameraSnapshot"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/cameras/coverage": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Public-order camera coverage (KPI L2.N2.PN2.01)
         * @description Needs `cameras:read`. From the registry's enabled public-order cameras: per district the count and
         *     the density per km² (Bảng 3: điểm giám sát/km²; district areas from `areaSource`), for the province
         *     the total, the density over the sum of the district areas and the share of districts with at least
         *     one camera (Bảng 4, %). The same figures are recorded as KPI observations (source `ioc-cameras`). A
         *     district sees its own row.
         */
        get: operations["getCameraCoverage"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/documents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Official documents received and sent through the LGSP, newest first
         * @description Needs `documents:read` (province leadership, departments, operators). Filters: `direction`,
         *     `status` (comma-separated states), `flagged=true` (a signature did not pass), `from`/`to` (when the
         *     document was stored or queued), `limit`/`offset` paging. 503 `LGSP_NOT_CONFIGURED` when no document
         *     axis is configured.
         */
        get: operations["listDocuments"];
        put?: never;
        /**
         * Send an official document through the LGSP
         * @description Needs `documents:write` (operators). Builds the edXML package (QCVN 102:2016) from our agency to the
         *     recipients, signs it with the configured key (XML-DSig, enveloped) and queues it in the durable
         *     outbox, which sends it in the background and retries while the axis is down. Answers 202 with the
         *     document in state `queued`; `document.status` events follow (sent, retrying, failed, delivered).
         *     Attachments are base64, at most 10, each of an allowed type and at most `DOCUMENT_MAX_ATTACHMENT_BYTES`.
         */
        post: operations["sendDocument"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/documents/{documentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        /**
         * One official document
         * @description Needs `documents:read`. The edXML header fields, the attachments, the verdict of every signature
         *     (the package's and each PDF attachment's) and the status history.
         */
        get: operations["getDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/documents/{documentId}/edxml": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        /**
         * The edXML package as received or as sent (signed)
         * @description Needs `documents:read`.
         */
        get: operations["getDocumentEdxml"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/documents/{documentId}/report": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        /**
         * The signature validation reports of a received document
         * @description Needs `documents:read`. The reports of `@dttm/digital-signature` as stored when the document was
         *     received (specs/schemas/validation-report.schema.json): `edxml` for the package's XML-DSig
         *     signatures (absent when the package could not be read), one per PDF attachment.
         */
        get: operations["getDocumentReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/documents/{documentId}/status": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report the processing status of a received document to its sender
         * @description Needs `documents:write` (operators). Records the edXML status (02 rejected, 03 registered, 04
         *     assigned, 05 in progress, 06 done) and sends the status package back to the sender through the
         *     outbox. 01 (received) is sent automatically on receipt. After 02 or 06 the document is closed (409).
         */
        post: operations["recordDocumentStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Monitoring stations
         * @description Needs the `environment:read` scope.
         */
        get: operations["listStations"];
        put?: never;
        /**
         * Register a monitoring station
         * @description Needs the `stations:write` scope (operators). Audited.
         */
        post: operations["createStation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations/{stationId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        /** One station */
        get: operations["getStation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations/{stationId}/aqi": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        /**
         * VN_AQI of a station (hourly and daily, QĐ 1459/QĐ-TCMT)
         * @description Hourly AQI for the hour ending at `at` (PM2.5/PM10 by NowCast over the 12 hours before it) and the
         *     daily AQI of that Vietnam calendar day so far. Readings of any averaging period are first averaged
         *     into hourly means (weighted by their period). Without `at`, the hour of the latest reading is used.
         */
        get: operations["getStationAqi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/environment/stations/{stationId}/readings": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        /** A station's readings in a time range, oldest first */
        get: operations["listReadings"];
        put?: never;
        /**
         * Ingest a batch of readings
         * @description Needs the `readings:ingest` scope (machine clients). Idempotent: a reading for a station and an
         *     instant already stored is counted as a duplicate and not stored again. The whole batch is stored
         *     in one transaction before 202 is sent.
         */
        post: operations["ingestReadings"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events as Server-Sent Events
         * @description Each SSE frame carries one CloudEvents 1.0 JSON event (`id:` is the event id, `event:` its type);
         *     the event types and payloads are described in `specs/asyncapi/ioc-events.yaml`. Comment frames
         *     (`: keep-alive`) are sent every 15 s. Send `Last-Event-ID` to replay what this instance still
         *     remembers (the last 500 events). Needs the `events:read` scope (province leadership, operators).
         *     Browsers' EventSource cannot set headers, so the token may be passed as `access_token`.
         */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/facilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Health facilities allowed to send HL7 v2
         * @description Needs `health:read` (province leadership, operators, the health department; other departments get 403). The registry the MLLP listener checks: MSH-4 code, name, district, allowed source addresses.
         */
        get: operations["listHealthFacilities"];
        put?: never;
        /**
         * Register a health facility
         * @description Needs `facilities:write` (operators). Audited. Messages with this MSH-4 are accepted from the next one on (from the listed addresses only, when any are listed).
         */
        post: operations["createHealthFacility"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/facilities/{facilityId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                facilityId: components["schemas"]["HealthFacilityId"];
            };
            cookie?: never;
        };
        /**
         * One health facility
         * @description Needs `health:read`.
         */
        get: operations["getHealthFacility"];
        /**
         * Register or replace a health facility
         * @description Needs `facilities:write` (operators). Audited. 201 when it was not registered, 200 otherwise.
         */
        put: operations["putHealthFacility"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * HL7 v2 messages received, newest first
         * @description Needs `health:read`. Facility, type, control id, reception, ACK code and delivery to the FHIR server; no patient data.
         */
        get: operations["listHl7Messages"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/messages/{messageId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                messageId: string;
            };
            cookie?: never;
        };
        /**
         * One HL7 v2 message with the FHIR resources it maps to
         * @description Needs `health:read`. The ER7 as received is included for operators only.
         */
        get: operations["getHl7Message"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/health/summary": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Messages per facility and the current health KPIs
         * @description Needs `health:read`. Counts per facility (by type and delivery state), messages refused since the server started, and this year's L2.N1.PN3.01 (encounters with an electronic record) and L2.N1.PN3.02 (appointments booked online) from the data received.
         */
        get: operations["getHealthSummary"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Incidents opened from camera analytics
         * @description Needs `incidents:read`, scoped as cameras are (a department its unit's, a district its area's).
         *     Newest opened first; `nextOffset` when there are more.
         */
        get: operations["listIncidents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{incidentId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        /**
         * One incident
         * @description Needs `incidents:read`; 404 when the caller may not see it.
         */
        get: operations["getIncident"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{incidentId}.cap": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        /**
         * An incident as an OASIS CAP 1.2 alert
         * @description Needs `incidents:read`. `Alert` for a single event, `Update` after repeats, `Cancel` once resolved or
         *     closed; Vietnamese and English `info` blocks, a circle around the camera, the server's snapshot URL
         *     as the resource.
         */
        get: operations["getIncidentCap"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{incidentId}.ngsi-ld": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        /**
         * An incident as a FIWARE Alert entity (NGSI-LD)
         * @description Needs `incidents:read`.
         */
        get: operations["getIncidentNgsiLd"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/incidents/{incidentId}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move an incident along its lifecycle
         * @description Needs `incidents:write`: the camera's unit (department) or operators. open → acknowledged →
         *     dispatched → in-progress → resolved → closed (steps may be skipped; a resolved incident may be
         *     taken in progress again; closed is final). Records who and when; audited; publishes
         *     `incident.updated`.
         */
        post: operations["transitionIncident"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/catalogue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The KPI catalogue (layers, groups, subgroups, indicators)
         * @description Needs the `kpi:read` scope.
         */
        get: operations["getKpiCatalogue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/indicators/{indicator}/series": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                indicator: components["schemas"]["KpiIndicatorCode"];
            };
            cookie?: never;
        };
        /**
         * An indicator's history, rolled up by year, quarter or month
         * @description Each point is the indicator evaluated for that period (province values added up from districts).
         */
        get: operations["getKpiSeries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/observations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Stored observations, newest period first
         * @description Needs `kpi:read`. A district sees its own area's observations, a department those of its sector's
         *     indicators.
         */
        get: operations["listKpiObservations"];
        put?: never;
        /**
         * Ingest a batch of observations
         * @description Needs the `kpi:ingest` scope (machine clients). Each item is an observation
         *     (`specs/schemas/kpi-observation.schema.json`) with an optional client `key`. Idempotent: an item
         *     whose key (by its `source`) was stored before is a duplicate; without a key, an identical
         *     observation is. Items are checked against the profile one by one — unknown indicator, wrong type,
         *     percent outside 0–100, NaN, malformed period, numerator above denominator, duplicates in the batch —
         *     and rejected with issues naming the field in Vietnamese and English; the valid ones are stored in
         *     one transaction, audited, before 202 is sent. 422 when no item could be accepted.
         */
        post: operations["ingestKpiObservations"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The KPI profiles the server evaluates */
        get: operations["listKpiProfiles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/profiles/{profileId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profileId: components["parameters"]["ProfileId"];
            };
            cookie?: never;
        };
        /** One profile as data (targets, baselines, extra indicators) */
        get: operations["getKpiProfile"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/scorecard": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A profile evaluated for a period and an area, rolled up by subgroup, group and layer
         * @description Needs `kpi:read`. A district gets its own area (asking for another is 403); a department gets only
         *     its sector's indicators. Without `year`, the latest year that has ended.
         */
        get: operations["getKpiScorecard"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/scorecard.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The scorecard as a CSV report (UTF-8 with BOM, Vietnamese headings by default) */
        get: operations["getKpiScorecardCsv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/kpi/scorecard.ngsi-ld": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The evaluated indicators as FIWARE KeyPerformanceIndicator NGSI-LD entities */
        get: operations["getKpiScorecardFiware"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The authenticated caller and its effective scopes
         * @description Any valid token. The scopes are those the token asks for within what its roles allow (all of its roles' scopes when it asks for none): what the dashboard uses to show only the panels the caller may read.
         */
        get: operations["getCaller"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/report-categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Categories of citizens' field reports
         * @description Public (no token). Each category with its bilingual label, the department it is routed to and its handling deadline.
         */
        get: operations["listReportCategories"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Submit a field report (phản ánh hiện trường)
         * @description Public (no token): citizens submit text, a category, a location inside the province and optionally
         *     contact details (kept, never returned) and one photo (JPEG or PNG, checked by its magic bytes, at
         *     most 2 MB, base64 in the JSON body). The report is routed to a department (by category) and a
         *     district (the given district code, else the nearest district centre) and gets a deadline. Rate
         *     limited per client address (429 with `Retry-After`). Audited; publishes `report.submitted`.
         */
        post: operations["submitReport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/public/reports/{code}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The tracking code (letters in any case). */
                code: string;
            };
            cookie?: never;
        };
        /**
         * Public status of a field report by its tracking code
         * @description Public (no token). State, category, deadline, and the published result once resolved (or the reason when rejected); never contact details, text or internal notes.
         */
        get: operations["getReportStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Field reports for staff, newest first
         * @description Needs `reports:read`. Scoped: a department sees the reports assigned to it, a district those routed to its area, province leadership and operators all.
         */
        get: operations["listReports"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{reportId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reportId: components["parameters"]["ReportId"];
            };
            cookie?: never;
        };
        /**
         * One field report (staff view)
         * @description Needs `reports:read`; a report outside your scope answers 404.
         */
        get: operations["getReport"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{reportId}/photo": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reportId: components["parameters"]["ReportId"];
            };
            cookie?: never;
        };
        /**
         * The photo of a field report
         * @description Needs `reports:read`, scoped like the report. 404 when it has none.
         */
        get: operations["getReportPhoto"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reports/{reportId}/transitions": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reportId: components["parameters"]["ReportId"];
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Move a field report along its lifecycle
         * @description Needs `reports:write`: the department the report is assigned to, or operators (who alone may
         *     reassign it to another department). received → assigned → in-progress → resolved (with the handling
         *     result, published by default) or rejected (with the reason); an escalated report may still be
         *     assigned, taken in progress, resolved or rejected. `expected` is the state the caller saw: when the
         *     report moved on meanwhile the answer is 409. Records who and when; audited in the same transaction;
         *     publishes `report.updated`.
         */
        post: operations["transitionReport"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/watchlist": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The plate watch list
         * @description Needs `watchlist:write` (operators).
         */
        get: operations["listWatchedPlates"];
        put?: never;
        /**
         * Put a plate on the watch list
         * @description Needs `watchlist:write`. The plate is normalized (`98A-123.45` ≡ `98A12345`); from then on a plate
         *     read (ANPR) or violation with that plate opens a high-severity incident. Audited.
         */
        post: operations["watchPlate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/watchlist/{plate}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The plate in any spelling (normalized before lookup). */
                plate: string;
            };
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Take a plate off the watch list
         * @description Needs `watchlist:write`. Audited.
         */
        delete: operations["unwatchPlate"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/docs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document as a readable page */
        get: operations["getApiDocs"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness probe
         * @description 200 while the process is serving HTTP. It does not touch storage.
         */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Prometheus metrics
         * @description Request counts and latencies by operation, open event streams, events published, and the Node.js
         *     process metrics, in the Prometheus text format. Serve it on a network only your monitoring reaches.
         */
        get: operations["getMetrics"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** This document, as JSON */
        get: operations["getOpenApiDocument"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Readiness probe
         * @description 200 when every dependency the server needs (storage) answers; 503 otherwise.
         */
        get: operations["getReadiness"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Administrative-unit code (province 2 digits, district 3). */
        AdminUnitCode: string;
        AlertTransition: {
            note?: string;
        };
        /** @description How another source table writes this indicator. A profile may select an alias to use its name, unit or placement. */
        alias: {
            id: components["schemas"]["slug"];
            name?: components["schemas"]["text"];
            note?: components["schemas"]["text"];
            source: components["schemas"]["sourceRef"];
            subgroup?: components["schemas"]["code"];
            unit?: components["schemas"]["unit"];
            unitLabel?: string;
        };
        AqiValue: {
            aqi: number | null;
            band?: {
                adviceEn: string;
                adviceVi: string;
                hex: string;
                level: number;
                nameEn: string;
                nameVi: string;
            };
            concentrations: {
                [key: string]: number;
            };
            /** @enum {unknown} */
            dominant?: "pm25" | "pm10" | "o3" | "co" | "so2" | "no2";
            reason?: string;
            /** @enum {unknown} */
            status: "ok" | "no-data";
            subIndices: {
                [key: string]: number;
            };
        };
        AuditEntry: {
            /** @example alert.acknowledge */
            action: string;
            actor: string;
            /** Format: date-time */
            at: string;
            /** @description Details of the change, any JSON value. */
            data: unknown;
            /** @description SHA-256 over prevHash and the canonical JSON of the other fields. */
            hash: string;
            prevHash: string;
            seq: number;
            /** @example alert:42 */
            subject: string;
        };
        AuditPage: {
            items: components["schemas"]["AuditEntry"][];
            /** @description Pass as `afterSeq` to get the next page; absent on the last page. */
            nextAfterSeq?: number;
        };
        AuditVerification: {
            entries: number;
            head: string;
            /** @constant */
            ok: true;
        } | {
            brokenAt: number;
            entries: number;
            /** @constant */
            ok: false;
            /** @enum {unknown} */
            reason: "hash-mismatch" | "chain-broken" | "sequence-gap";
        };
        /** @enum {unknown} */
        band: 1 | 2 | 3 | 4 | null;
        Bilingual: {
            en: string;
            vi: string;
        };
        Caller: {
            /** @description The `area` claim (district role). */
            area?: string;
            /** @description The `dept` claim (department role). */
            department?: string;
            /** Format: date-time */
            expiresAt: string;
            roles: ("leadership" | "department" | "district" | "operator" | "machine")[];
            /** @description Effective scopes, sorted. */
            scopes: string[];
            /** @description The token's `sub`. */
            subject: string;
        };
        CameraCoverage: {
            /** @description Where the district areas (km²) come from. */
            areaSource: string;
            districts: {
                adminUnitCode: components["schemas"]["AdminUnitCode"];
                areaKm2: number;
                cameras: number;
                density: number;
            }[];
            /** @constant */
            indicator: "L2.N2.PN2.01";
            province: {
                adminUnitCode: components["schemas"]["AdminUnitCode"];
                areaKm2: number;
                cameras: number;
                /** @description Cameras per km² (6 significant digits). */
                density: number;
                districts: number;
                districtsCovered: number;
                /** @description Districts with at least one public-order camera, % (2 decimals). */
                share: number;
            };
        };
        CameraEventAccepted: {
            eventId: string;
            incidentId?: components["schemas"]["IncidentId"];
            kind: string;
        };
        CameraHealth: {
            cameraId: components["schemas"]["CameraId"];
            events: number;
            lastError?: string;
            /** Format: date-time */
            lastErrorAt?: string;
            /** Format: date-time */
            lastEventAt?: string;
            lastEventKind?: string;
            /** Format: date-time */
            lastProbeAt?: string;
            /** @description The server instance (its event-bus `source`) running the camera's event subscription under a lease, when one does. Instances sharing a database run each subscription once; answered by another instance, the status is the owner's last `camera.health` event and the counters are 0. */
            owner?: string;
            reconnects: number;
            /** Format: date-time */
            since: string;
            /** @enum {unknown} */
            status: "online" | "offline" | "connecting" | "disabled" | "registry-only";
        };
        CameraId: string;
        /** @description An incident opened from a camera's analytics events. Payload of incident.opened and incident.updated. */
        CameraIncident: {
            area: components["schemas"]["AdminUnitCode"];
            cameraId: components["schemas"]["CameraId"];
            cameraName: string;
            capCategory: string;
            /** @enum {unknown} */
            capSeverity: "Extreme" | "Severe" | "Moderate" | "Minor" | "Unknown";
            category: string;
            channel?: string;
            count: number;
            dedupKey: string;
            eventIds: string[];
            firstSeen: string;
            history: {
                /** Format: date-time */
                at: string;
                by: string;
                from?: components["schemas"]["IncidentState"];
                note?: string;
                to: components["schemas"]["IncidentState"];
            }[];
            id: components["schemas"]["IncidentId"];
            /** @enum {unknown} */
            kind: "motion" | "tamper" | "video_loss" | "intrusion" | "line_crossing" | "loitering" | "crowd" | "counting" | "abandoned_object" | "removed_object" | "face_match" | "plate_read" | "traffic_violation";
            lastSeen: string;
            location: components["schemas"]["CameraLocation"];
            /** Format: date-time */
            openedAt: string;
            plate?: {
                normalized: string;
                raw: string;
            };
            rule?: string;
            /** @enum {unknown} */
            severity: "informational" | "low" | "medium" | "high" | "critical";
            /** @description The server's snapshot URL of the camera (never the device's). */
            snapshotUrl?: string;
            state: components["schemas"]["IncidentState"];
            subCategory: string;
            title: {
                en: string;
                vi: string;
            };
            unit: components["schemas"]["CameraUnit"];
            /** Format: date-time */
            updatedAt: string;
            watchlistReason?: string;
        };
        CameraList: {
            items: components["schemas"]["RegisteredCamera"][];
        };
        CameraLocation: {
            address?: string;
            lat: number;
            lon: number;
        };
        CameraRegistration: {
            area: components["schemas"]["AdminUnitCode"];
            /** @default 1 */
            channel: number;
            /** @description Run its event subscription. Default true. */
            enabled?: boolean;
            id?: components["schemas"]["CameraId"];
            location: components["schemas"]["CameraLocation"];
            name: string;
            /** @description Write-only; stored sealed (AES-256-GCM). `null` on update removes it. */
            password?: string | null;
            /**
             * @description `onvif` (pull-point events), `isapi` (Hikvision alert stream) or `none` (registry only).
             * @enum {unknown}
             */
            protocol: "onvif" | "isapi" | "none";
            /** @description Counts for the public-order coverage KPI (L2.N2.PN2.01). Default true. */
            publicOrder?: boolean;
            unit: components["schemas"]["CameraUnit"];
            /**
             * Format: uri
             * @description ONVIF device service URL or ISAPI base URL, without credentials.
             */
            url?: string;
            username?: string;
        };
        /** @description Owning unit that handles the camera's incidents (a department code such as `police`, `transport`, or `district`). */
        CameraUnit: string;
        code: string;
        concentration: number;
        DependencyCheck: {
            /** @description Why the dependency is down (no secrets). */
            error?: string;
            /**
             * @description Which implementation answered.
             * @enum {unknown}
             */
            kind: "sqlite" | "postgres";
            latencyMs: number;
            /** @enum {unknown} */
            status: "up" | "down";
        };
        /** @enum {unknown} */
        direction: "higher-better" | "lower-better" | "band";
        document: {
            date?: string;
            id: components["schemas"]["slug"];
            issuer?: string;
            title: components["schemas"]["text"];
            /** Format: uri */
            url?: string;
        };
        DocumentHistoryEntry: {
            agency?: string;
            /** Format: date-time */
            at: string;
            by: string;
            description?: string;
            state: components["schemas"]["DocumentState"];
            /** @description The edXML status code of a status package sent or received. */
            statusCode?: string;
        };
        DocumentOrgan: {
            /** @description Agency code (mã định danh), e.g. `000.00.08.H10`. */
            organId: string;
            organName?: string;
        };
        DocumentPage: {
            items: components["schemas"]["OfficialDocument"][];
            limit: number;
            offset: number;
        };
        DocumentReports: {
            attachments: {
                name: string;
                report: components["schemas"]["DocumentValidationReport"];
            }[];
            edxml?: components["schemas"]["DocumentValidationReport"];
        };
        DocumentSignature: {
            attachment?: string;
            /** @enum {string} */
            indication: "TOTAL_PASSED" | "TOTAL_FAILED" | "INDETERMINATE" | "NO_SIGNATURE";
            message: components["schemas"]["Bilingual"];
            /** @description Common name of the signer's certificate. */
            signer?: string;
            /** Format: date-time */
            signingTime?: string;
            subIndication?: string;
            /** @enum {string} */
            target: "edxml" | "attachment";
        };
        /**
         * @description Outgoing: queued, retrying, sent (the axis has it), delivered (a recipient answered with a status
         *     package), failed (dead-lettered). Incoming: received, rejected (02), processing (03–05), done (06).
         * @enum {string}
         */
        DocumentState: "queued" | "retrying" | "sent" | "delivered" | "failed" | "received" | "rejected" | "processing" | "done";
        DocumentStatusReport: {
            description?: string;
            /** @enum {string} */
            statusCode: "02" | "03" | "04" | "05" | "06";
        };
        DocumentSubmission: {
            attachments?: {
                /** @enum {string} */
                contentType: "application/pdf" | "application/msword" | "application/vnd.openxmlformats-officedocument.wordprocessingml.document" | "application/vnd.oasis.opendocument.text" | "application/vnd.ms-excel" | "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" | "image/jpeg" | "image/png";
                /** @description The file, base64. */
                data: string;
                name: string;
            }[];
            codeNotation: string;
            codeNumber: string;
            content?: string;
            documentType?: {
                type: string;
                typeName?: string;
            };
            place?: string;
            /** Format: date */
            promulgationDate?: string;
            signerName?: string;
            subject: string;
            to: {
                /** @description The recipient's agency code (mã định danh, levels separated by dots), e.g. `000.00.08.H10`. */
                organId: string;
                organName?: string;
            }[];
        };
        /** @description A validation report of `@dttm/digital-signature` (specs/schemas/validation-report.schema.json). */
        DocumentValidationReport: {
            document: Record<string, never>;
            /** @enum {string} */
            format: "CMS" | "PDF" | "XML";
            /** @enum {string} */
            indication: "TOTAL_PASSED" | "TOTAL_FAILED" | "INDETERMINATE";
            message: components["schemas"]["Bilingual"];
            policy: string;
            /** @constant */
            reportVersion: 1;
            signatures: Record<string, never>[];
            subIndication?: string;
            /** Format: date-time */
            validationTime: string;
        };
        /**
         * Environmental monitoring reading
         * @description One averaged measurement of an air-quality monitoring station. Concentrations in µg/m³ (CO too, as in QĐ 1459/QĐ-TCMT); the reading is the mean over `periodMinutes` ending at `at`.
         */
        "env-reading.schema": {
            /**
             * Format: date-time
             * @description End of the averaging period, ISO 8601 with offset (Vietnam: +07:00).
             */
            at: string;
            /**
             * @description Length of the averaging period.
             * @default 60
             * @enum {integer}
             */
            periodMinutes: 1 | 5 | 15 | 60;
            values: {
                /** @description CO, µg/m³ */
                co?: components["schemas"]["concentration"];
                /** @description % */
                humidity?: number;
                /** @description NO2, µg/m³ */
                no2?: components["schemas"]["concentration"];
                /** @description O3, µg/m³ */
                o3?: components["schemas"]["concentration"];
                /** @description PM10, µg/m³ */
                pm10?: components["schemas"]["concentration"];
                /** @description PM2.5, µg/m³ */
                pm25?: components["schemas"]["concentration"];
                /** @description SO2, µg/m³ */
                so2?: components["schemas"]["concentration"];
                /** @description °C */
                temperature?: number;
            };
            $defs: {
                concentration: number;
            };
        };
        /** Environmental monitoring station */
        "env-station.schema": {
            /** @description Administrative-unit code of the district or city the station is in. */
            area?: string;
            /**
             * @description Stable station code, e.g. BG-KK-01.
             * @example BG-KK-01
             */
            id: string;
            /** @enum {unknown} */
            kind: "air" | "water";
            location: {
                lat: number;
                lon: number;
            };
            /** @example Trạm quan trắc không khí TP Bắc Giang */
            name: string;
        };
        evaluation: {
            achievement: number | null;
            band: components["schemas"]["band"];
            baseline: null | components["schemas"]["value"];
            /** @enum {unknown} */
            basis: "observation" | "aggregate" | "none";
            coverage?: {
                expected?: number;
                missing?: string[];
                reported: number;
            };
            denominator?: number;
            group: string;
            indicator: components["schemas"]["code"];
            layer: string;
            name: components["schemas"]["text"];
            numerator?: number;
            observedPeriod?: string;
            progress: number | null;
            quality?: components["schemas"]["quality"];
            reason?: components["schemas"]["message"];
            sector?: string;
            /** @enum {unknown} */
            status: "met" | "not-met" | "no-data" | "not-applicable";
            subgroup: string;
            target: null | components["schemas"]["goal"];
            trend: {
                delta: number | null;
                /** @enum {unknown} */
                direction: "improving" | "worsening" | "stable" | "insufficient-data";
                series: {
                    period: string;
                    value: number | boolean | null;
                }[];
            };
            unit: components["schemas"]["unit"];
            unitLabel?: string;
            value: number | boolean | null;
            weight: number;
        };
        /**
         * Citizen's field report
         * @description A citizen's field report (phản ánh hiện trường) as staff see it: routed to a department and a district, with its deadline, lifecycle and handling result. The citizen's contact details are never part of it. Payload of report.submitted and report.updated.
         */
        "field-report.schema": {
            /** @enum {unknown} */
            category: "environment" | "traffic" | "urban-order" | "public-security" | "health" | "education" | "land-construction" | "other";
            /** @description Public tracking code given to the citizen, e.g. PA-2026-7K3F9Q (no 0, 1, I, L or O). */
            code: string;
            /** Format: date-time */
            deadline: string;
            /** @description The department handling it (the dept claim of its staff). */
            department: string;
            /** @description The district it was routed to; absent when the location matched none. */
            district?: string;
            /**
             * Format: date-time
             * @description When it passed its deadline unresolved and went to province leadership.
             */
            escalatedAt?: string;
            /** @description Whether the citizen left contact details (which are kept, never returned). */
            hasContact: boolean;
            /** @description Every state change, oldest first. */
            history: {
                /** Format: date-time */
                at: string;
                by: string;
                /** @description The department it was (re)assigned to by this change. */
                department?: string;
                /** @enum {unknown} */
                from?: "received" | "assigned" | "in-progress" | "resolved" | "rejected" | "escalated";
                note?: string;
                /** @enum {unknown} */
                to: "received" | "assigned" | "in-progress" | "resolved" | "rejected" | "escalated";
            }[];
            id: string;
            location: {
                address?: string;
                /** @description District code the citizen gave, when any. */
                district?: string;
                lat: number;
                lon: number;
            };
            photo?: {
                bytes: number;
                /** @enum {unknown} */
                mediaType: "image/jpeg" | "image/png";
                sha256: string;
            };
            rejection?: {
                /** Format: date-time */
                at: string;
                by: string;
                reason: string;
            };
            result?: {
                /** Format: date-time */
                at: string;
                by: string;
                /** @description Whether the result is shown to the public with the tracking code. */
                published: boolean;
                text: string;
            };
            /** @enum {unknown} */
            state: "received" | "assigned" | "in-progress" | "resolved" | "rejected" | "escalated";
            /** Format: date-time */
            submittedAt: string;
            text: string;
            /** Format: date-time */
            updatedAt: string;
        };
        /** @description A Frigate `frigate/events` message (`before` and `after` tracked-object states). */
        FrigateEventMessage: {
            after: Record<string, never>;
            before?: Record<string, never>;
            /** @enum {unknown} */
            type: "new" | "update" | "end";
        };
        goal: {
            /** @enum {unknown} */
            op: "eq" | "gte" | "lte";
            text?: string;
            value: number;
        } | {
            max: number;
            min: number;
            /** @constant */
            op: "between";
            text?: string;
        } | {
            /** @enum {unknown} */
            op: "yes" | "no";
            text?: string;
        };
        group: {
            code: components["schemas"]["code"];
            name: components["schemas"]["text"];
            notes?: components["schemas"]["text"];
            subgroups: components["schemas"]["subgroup"][];
        };
        Health: {
            /** @example @dttm/reference-server */
            service: string;
            /** @constant */
            status: "ok";
            uptimeSeconds: number;
            /** @example 0.1.0 */
            version: string;
        };
        HealthFacility: {
            addresses: string[];
            area?: string;
            /** Format: date-time */
            createdAt: string;
            id: components["schemas"]["HealthFacilityId"];
            name: string;
            /** Format: date-time */
            updatedAt: string;
        };
        HealthFacilityFields: {
            /** @description Source IP addresses it may connect from; empty or absent means any. */
            addresses?: string[];
            /** @description District (administrative-unit code) the facility serves; its data counts there. */
            area?: string;
            name?: string;
        };
        /** @description The facility's code as sent in MSH-4 (namespace id), e.g. BV_DKTINH. */
        HealthFacilityId: string;
        HealthFacilityInput: components["schemas"]["HealthFacilityFields"] & {
            id: components["schemas"]["HealthFacilityId"];
        };
        HealthFacilityUpdate: components["schemas"]["HealthFacilityFields"] & {
            id?: components["schemas"]["HealthFacilityId"];
        };
        HealthKpiValue: {
            denominator: number;
            /** @enum {string} */
            indicator: "L2.N1.PN3.01" | "L2.N1.PN3.02";
            numerator: number;
            /** @description Percent; absent while the denominator is 0. */
            value?: number;
            year: number;
        };
        HealthSummary: {
            facilities: {
                area?: string;
                byType: {
                    [key: string]: number;
                };
                delivery: {
                    delivered: number;
                    failed: number;
                    queued: number;
                };
                id: string;
                name: string;
                total: number;
            }[];
            kpis: components["schemas"]["HealthKpiValue"][];
            /** @description Whether the MLLP listener is running. */
            listening: boolean;
            mllpPort?: number;
            /** @description Frames refused (unknown facility, unparsable, unsupported) since the server started. */
            refused: number;
        };
        /**
         * @description queued: stored and acknowledged, waiting for the FHIR server (retried with backoff); delivered: the FHIR server accepted its transaction Bundle; failed: the FHIR server refused it (or it could not be mapped), kept as a dead letter.
         * @enum {string}
         */
        Hl7DeliveryState: "queued" | "delivered" | "failed";
        Hl7MessageDetail: components["schemas"]["Hl7MessageFields"] & {
            /** @description MSH-3. */
            application: string;
            /** @description The message as received; operators only. */
            er7?: string;
            /** @description The FHIR R4 resources the message maps to (the entries of its transaction Bundle). */
            resources: {
                resourceType: string;
            }[];
        };
        Hl7MessageFields: {
            /**
             * @description The ACK sent once the message was stored.
             * @enum {string}
             */
            ackCode: "AA" | "CA";
            attempts: number;
            /** @description MSH-10. */
            controlId: string;
            /** Format: date-time */
            deliveredAt?: string;
            delivery: components["schemas"]["Hl7DeliveryState"];
            /** @description MSH-4. */
            facility: string;
            /** @description Ids the FHIR server gave the resources written, e.g. Patient/12. */
            fhirResources: string[];
            id: string;
            /** @description Code (and HTTP status) of the last delivery failure. */
            lastError?: string;
            /** @description MSH-9.1^MSH-9.2, e.g. ADT^A01. */
            messageType: string;
            /** Format: date-time */
            receivedAt: string;
            /** @description e.g. ADT_A01. */
            structure: string;
        };
        Hl7MessageSummary: components["schemas"]["Hl7MessageFields"];
        IncidentId: string;
        IncidentPage: {
            items: components["schemas"]["CameraIncident"][];
            nextOffset?: number;
        };
        /** @enum {unknown} */
        IncidentState: "open" | "acknowledged" | "dispatched" | "in-progress" | "resolved" | "closed";
        IncidentTransition: {
            expected?: components["schemas"]["IncidentState"];
            note?: string;
            to: components["schemas"]["IncidentState"];
        };
        /** @description Fields of an indicator; `indicator` closes the set. */
        indicatorFields: {
            aliases?: components["schemas"]["alias"][];
            code: components["schemas"]["code"];
            denominator?: components["schemas"]["ratioTerm"];
            description?: components["schemas"]["text"];
            direction: components["schemas"]["direction"];
            formula?: components["schemas"]["text"];
            /** @enum {unknown} */
            frequency?: "monthly" | "quarterly" | "yearly";
            name: components["schemas"]["text"];
            notes?: components["schemas"]["text"];
            numerator?: components["schemas"]["ratioTerm"];
            /** @description Sector responsible for the indicator (administration, health, education, environment, transport, police, construction, finance, ict, science-technology, tourism …); used to scope data by authority. */
            sector?: string;
            sources?: components["schemas"]["sourceRef"][];
            unit: components["schemas"]["unit"];
            unitLabel?: string;
            /** @enum {unknown} */
            valueType: "number" | "boolean";
        };
        IngestResult: {
            /** @description Readings stored now. */
            accepted: number;
            /** @description Readings already stored before (same station and instant). */
            duplicates: number;
        };
        /**
         * KPI alert
         * @description An alert on a smart-city KPI: target not met at period end, regression versus the previous period, a missing report past its due date, or a measured value past a threshold. Payload of kpi.alert.raised.
         */
        "kpi-alert.schema": {
            /** @description Achievement (0–100) when the alert was last updated. */
            achievement?: number | null;
            /** Format: date-time */
            acknowledgedAt?: string;
            /** @description Who acknowledged: a user id. */
            acknowledgedBy?: string;
            /** @description Consecutive evaluations in which the condition was clear (hysteresis). */
            clearStreak?: number;
            dedupKey: string;
            id: string;
            indicator: string;
            /**
             * @description threshold: a measured value (e.g. a station's VN_AQI) crossed a named warning or critical threshold.
             * @enum {unknown}
             */
            kind: "target-not-met" | "regression" | "missing-report" | "threshold";
            message: {
                en: string;
                vi: string;
            };
            /** @description Period label, e.g. 2025, 2025-Q2, 2025-06 or an ISO 8601 interval. */
            period?: string;
            profile?: string;
            /** Format: date-time */
            raisedAt: string;
            reopenCount?: number;
            /** @description Note left when resolving. */
            resolution?: string;
            /** Format: date-time */
            resolvedAt?: string;
            /** @description Who resolved: a user id, or `system` when the condition cleared. */
            resolvedBy?: string;
            scope?: {
                adminUnitCode?: string;
                department?: string;
                /** @enum {unknown} */
                level: "province" | "district" | "department";
            };
            /** @enum {unknown} */
            severity: "info" | "warning" | "critical";
            /** @description What a threshold alert is about, e.g. station:BG-KK-01. */
            source?: string;
            /** @enum {unknown} */
            state: "open" | "acknowledged" | "resolved";
            /** @description Target as written, e.g. ≥ 80%. */
            target?: string;
            /** Format: date-time */
            updatedAt?: string;
            value?: number | boolean | null;
        };
        /**
         * KPI catalogue
         * @description A smart-city KPI framework as data: layers → groups → subgroups → indicators (3098/BTTTT-KHCN coding L<layer>.N<group>.PN<subgroup>.<nn>). Disagreements between source tables are kept as documented aliases.
         */
        "kpi-catalogue.schema": {
            $schema?: string;
            description?: components["schemas"]["text"];
            documents: components["schemas"]["document"][];
            id: components["schemas"]["slug"];
            layers: components["schemas"]["layer"][];
            name: components["schemas"]["text"];
            source?: components["schemas"]["sourceRef"];
            version: string;
            $defs: {
                slug: string;
                code: string;
                text: {
                    en?: string;
                    vi: string;
                };
                document: {
                    date?: string;
                    id: components["schemas"]["slug"];
                    issuer?: string;
                    title: components["schemas"]["text"];
                    /** Format: uri */
                    url?: string;
                };
                sourceRef: {
                    document: components["schemas"]["slug"];
                    page?: number;
                    row?: number;
                    table?: string;
                };
                /**
                 * @description percent: 0–100; boolean: Có/Chưa (yes/not yet); count; count-per-area (e.g. monitoring points per km²); index (dimensionless score); quantity (a measured value in unitLabel, e.g. minutes).
                 * @enum {unknown}
                 */
                unit: "percent" | "boolean" | "count" | "count-per-area" | "index" | "quantity";
                /** @enum {unknown} */
                direction: "higher-better" | "lower-better" | "band";
                ratioTerm: {
                    name: components["schemas"]["text"];
                    unitLabel?: string;
                };
                /** @description How another source table writes this indicator. A profile may select an alias to use its name, unit or placement. */
                alias: {
                    id: components["schemas"]["slug"];
                    name?: components["schemas"]["text"];
                    note?: components["schemas"]["text"];
                    source: components["schemas"]["sourceRef"];
                    subgroup?: components["schemas"]["code"];
                    unit?: components["schemas"]["unit"];
                    unitLabel?: string;
                };
                /** @description Fields of an indicator; `indicator` closes the set. */
                indicatorFields: {
                    aliases?: components["schemas"]["alias"][];
                    code: components["schemas"]["code"];
                    denominator?: components["schemas"]["ratioTerm"];
                    description?: components["schemas"]["text"];
                    direction: components["schemas"]["direction"];
                    formula?: components["schemas"]["text"];
                    /** @enum {unknown} */
                    frequency?: "monthly" | "quarterly" | "yearly";
                    name: components["schemas"]["text"];
                    notes?: components["schemas"]["text"];
                    numerator?: components["schemas"]["ratioTerm"];
                    /** @description Sector responsible for the indicator (administration, health, education, environment, transport, police, construction, finance, ict, science-technology, tourism …); used to scope data by authority. */
                    sector?: string;
                    sources?: components["schemas"]["sourceRef"][];
                    unit: components["schemas"]["unit"];
                    unitLabel?: string;
                    /** @enum {unknown} */
                    valueType: "number" | "boolean";
                };
                indicator: components["schemas"]["indicatorFields"];
                subgroup: {
                    code: components["schemas"]["code"];
                    indicators: components["schemas"]["indicatorFields"][];
                    name: components["schemas"]["text"];
                    notes?: components["schemas"]["text"];
                    sources?: components["schemas"]["sourceRef"][];
                };
                group: {
                    code: components["schemas"]["code"];
                    name: components["schemas"]["text"];
                    notes?: components["schemas"]["text"];
                    subgroups: components["schemas"]["subgroup"][];
                };
                layer: {
                    code: components["schemas"]["code"];
                    groups: components["schemas"]["group"][];
                    name: components["schemas"]["text"];
                };
            };
        };
        /**
         * KPI observation
         * @description One reported value of a smart-city KPI (3098/BTTTT-KHCN) for a period and an administrative scope. Payload of kpi.observation.recorded.
         */
        "kpi-observation.schema": {
            denominator?: number;
            /** @description Indicator code of the catalogue. */
            indicator: string;
            /** @enum {unknown} */
            method: "manual" | "automatic";
            numerator?: number;
            period: {
                year: number;
            } | {
                quarter: number;
                year: number;
            } | {
                month: number;
                year: number;
            } | {
                /** @description ISO 8601 interval, e.g. 2025-01-01T00:00:00+07:00/2025-04-01T00:00:00+07:00 */
                interval: string;
            };
            quality?: ("estimated" | "provisional" | "revised" | "imputed" | "outlier")[];
            /** Format: date-time */
            recordedAt: string;
            scope: {
                /** @description Administrative-unit code (province 2 digits, district 3 digits). */
                adminUnitCode?: string;
                department?: string;
                /** @enum {unknown} */
                level: "province" | "district" | "department";
            };
            /** @description Source system that reported the value. */
            source: string;
            /** @description Numeric value in the indicator's unit, or yes/no for boolean indicators. */
            value: number | boolean;
        };
        /**
         * KPI profile
         * @description Targets, baselines and extra indicators layered over a KPI catalogue without code: a province's plan (bac-giang-2025), a sector, a city.
         */
        "kpi-profile.schema": {
            $schema?: string;
            /** @description Indicator code → alias id to use instead of the catalogue's primary definition. */
            aliases?: {
                [key: string]: components["schemas"]["slug"];
            };
            area?: {
                adminUnitCode?: string;
                department?: string;
                /** @enum {unknown} */
                level: "province" | "district" | "department";
                name?: components["schemas"]["text"];
            };
            /** @description Id of the base catalogue. */
            catalogue: components["schemas"]["slug"];
            /** @description Headings of the source table's value columns. */
            columns?: {
                current?: components["schemas"]["text"];
                reference2020?: components["schemas"]["text"];
                target?: components["schemas"]["text"];
            };
            description?: components["schemas"]["text"];
            documents?: components["schemas"]["document"][];
            /** @description Id of a profile whose targets and indicators this one inherits. */
            extends?: components["schemas"]["slug"];
            id: components["schemas"]["slug"];
            /** @description True for an example profile whose indicators and targets are not taken from an official document. */
            illustrative?: boolean;
            /** @description Extra indicators this profile adds, each placed in a subgroup of the catalogue or of `subgroups`. */
            indicators?: ({
                subgroup: components["schemas"]["code"];
            } & components["schemas"]["indicatorFields"])[];
            name: components["schemas"]["text"];
            source?: components["schemas"]["sourceRef"];
            /** @description Administrative units whose observations add up to the profile's area (districts and cities of a province). */
            subareas?: {
                adminUnitCode: string;
                areaKm2?: number;
                name: components["schemas"]["text"];
            }[];
            /** @description Extra subgroups, each placed in a group of the catalogue. */
            subgroups?: {
                code: components["schemas"]["code"];
                group: components["schemas"]["code"];
                name: components["schemas"]["text"];
            }[];
            targetPeriod: components["schemas"]["period"];
            targets: components["schemas"]["target"][];
            version: string;
            $defs: {
                value: {
                    text?: string;
                    value: number | boolean;
                } | {
                    /**
                     * @description no-data: not yet determined (Chưa xác định); not-deployed: not yet deployed (Chưa triển khai), a known zero state.
                     * @enum {unknown}
                     */
                    state: "no-data" | "not-deployed";
                    text?: string;
                };
                goal: {
                    /** @enum {unknown} */
                    op: "eq" | "gte" | "lte";
                    text?: string;
                    value: number;
                } | {
                    max: number;
                    min: number;
                    /** @constant */
                    op: "between";
                    text?: string;
                } | {
                    /** @enum {unknown} */
                    op: "yes" | "no";
                    text?: string;
                };
                target: {
                    /** @description Value progress is measured from; defaults to `current`. */
                    baseline?: components["schemas"]["value"];
                    current?: components["schemas"]["value"];
                    /** @description Days after a period ends by which its observation is due (missing-report alerts). */
                    dueAfterDays?: number;
                    indicator: components["schemas"]["code"];
                    /** @description Kept in the profile but not evaluated. */
                    notApplicable?: boolean;
                    reference2020?: components["schemas"]["value"];
                    row?: number;
                    target: components["schemas"]["goal"];
                    /** @description The unit as the source table writes it, when it differs from the catalogue's label. */
                    unitText?: string;
                    weight?: number;
                };
                /** @description Fields of an indicator; `indicator` closes the set. */
                indicatorFields: {
                    aliases?: components["schemas"]["alias"][];
                    code: components["schemas"]["code"];
                    denominator?: components["schemas"]["ratioTerm"];
                    description?: components["schemas"]["text"];
                    direction: components["schemas"]["direction"];
                    formula?: components["schemas"]["text"];
                    /** @enum {unknown} */
                    frequency?: "monthly" | "quarterly" | "yearly";
                    name: components["schemas"]["text"];
                    notes?: components["schemas"]["text"];
                    numerator?: components["schemas"]["ratioTerm"];
                    /** @description Sector responsible for the indicator (administration, health, education, environment, transport, police, construction, finance, ict, science-technology, tourism …); used to scope data by authority. */
                    sector?: string;
                    sources?: components["schemas"]["sourceRef"][];
                    unit: components["schemas"]["unit"];
                    unitLabel?: string;
                    /** @enum {unknown} */
                    valueType: "number" | "boolean";
                };
                text: {
                    en?: string;
                    vi: string;
                };
                code: string;
                slug: string;
                document: {
                    date?: string;
                    id: components["schemas"]["slug"];
                    issuer?: string;
                    title: components["schemas"]["text"];
                    /** Format: uri */
                    url?: string;
                };
                sourceRef: {
                    document: components["schemas"]["slug"];
                    page?: number;
                    row?: number;
                    table?: string;
                };
                period: {
                    year: number;
                } | {
                    quarter: number;
                    year: number;
                } | {
                    month: number;
                    year: number;
                } | {
                    /** @description ISO 8601 interval, e.g. 2025-01-01T00:00:00+07:00/2025-04-01T00:00:00+07:00 */
                    interval: string;
                };
                /** @enum {unknown} */
                direction: "higher-better" | "lower-better" | "band";
                /** @description How another source table writes this indicator. A profile may select an alias to use its name, unit or placement. */
                alias: {
                    id: components["schemas"]["slug"];
                    name?: components["schemas"]["text"];
                    note?: components["schemas"]["text"];
                    source: components["schemas"]["sourceRef"];
                    subgroup?: components["schemas"]["code"];
                    unit?: components["schemas"]["unit"];
                    unitLabel?: string;
                };
                /**
                 * @description percent: 0–100; boolean: Có/Chưa (yes/not yet); count; count-per-area (e.g. monitoring points per km²); index (dimensionless score); quantity (a measured value in unitLabel, e.g. minutes).
                 * @enum {unknown}
                 */
                unit: "percent" | "boolean" | "count" | "count-per-area" | "index" | "quantity";
                ratioTerm: {
                    name: components["schemas"]["text"];
                    unitLabel?: string;
                };
            };
        };
        /**
         * KPI scorecard
         * @description A profile's indicators evaluated for one period and scope, rolled up by subgroup, group and layer. "No data" is a status of its own and is excluded from scores.
         */
        "kpi-scorecard.schema": {
            catalogue: {
                id: string;
                version: string;
            };
            indicators: components["schemas"]["evaluation"][];
            period: {
                /** Format: date-time */
                end: string;
                /** @enum {unknown} */
                kind: "year" | "quarter" | "month" | "interval";
                label: string;
                /** Format: date-time */
                start: string;
            };
            profile: {
                id: string;
                illustrative: boolean;
                name: components["schemas"]["text"];
                version: string;
            };
            rollups: components["schemas"]["rollup"][];
            scope: components["schemas"]["scope"];
            summary: components["schemas"]["rollup"];
            $defs: {
                /** @enum {unknown} */
                band: 1 | 2 | 3 | 4 | null;
                rollup: {
                    band: components["schemas"]["band"];
                    code: string;
                    coverage: number | null;
                    /** @enum {unknown} */
                    level: "total" | "layer" | "group" | "subgroup";
                    met: number;
                    name: components["schemas"]["text"];
                    noData: number;
                    notApplicable: number;
                    notMet: number;
                    parent?: string;
                    score: number | null;
                    total: number;
                };
                evaluation: {
                    achievement: number | null;
                    band: components["schemas"]["band"];
                    baseline: null | components["schemas"]["value"];
                    /** @enum {unknown} */
                    basis: "observation" | "aggregate" | "none";
                    coverage?: {
                        expected?: number;
                        missing?: string[];
                        reported: number;
                    };
                    denominator?: number;
                    group: string;
                    indicator: components["schemas"]["code"];
                    layer: string;
                    name: components["schemas"]["text"];
                    numerator?: number;
                    observedPeriod?: string;
                    progress: number | null;
                    quality?: components["schemas"]["quality"];
                    reason?: components["schemas"]["message"];
                    sector?: string;
                    /** @enum {unknown} */
                    status: "met" | "not-met" | "no-data" | "not-applicable";
                    subgroup: string;
                    target: null | components["schemas"]["goal"];
                    trend: {
                        delta: number | null;
                        /** @enum {unknown} */
                        direction: "improving" | "worsening" | "stable" | "insufficient-data";
                        series: {
                            period: string;
                            value: number | boolean | null;
                        }[];
                    };
                    unit: components["schemas"]["unit"];
                    unitLabel?: string;
                    value: number | boolean | null;
                    weight: number;
                };
                /**
                 * @description percent: 0–100; boolean: Có/Chưa (yes/not yet); count; count-per-area (e.g. monitoring points per km²); index (dimensionless score); quantity (a measured value in unitLabel, e.g. minutes).
                 * @enum {unknown}
                 */
                unit: "percent" | "boolean" | "count" | "count-per-area" | "index" | "quantity";
                text: {
                    en?: string;
                    vi: string;
                };
                scope: {
                    /** @description Administrative-unit code (province 2 digits, district 3 digits). */
                    adminUnitCode?: string;
                    department?: string;
                    /** @enum {unknown} */
                    level: "province" | "district" | "department";
                };
                code: string;
                message: {
                    en: string;
                    vi: string;
                };
                value: {
                    text?: string;
                    value: number | boolean;
                } | {
                    /**
                     * @description no-data: not yet determined (Chưa xác định); not-deployed: not yet deployed (Chưa triển khai), a known zero state.
                     * @enum {unknown}
                     */
                    state: "no-data" | "not-deployed";
                    text?: string;
                };
                quality: ("estimated" | "provisional" | "revised" | "imputed" | "outlier")[];
                goal: {
                    /** @enum {unknown} */
                    op: "eq" | "gte" | "lte";
                    text?: string;
                    value: number;
                } | {
                    max: number;
                    min: number;
                    /** @constant */
                    op: "between";
                    text?: string;
                } | {
                    /** @enum {unknown} */
                    op: "yes" | "no";
                    text?: string;
                };
            };
        };
        KpiIndicatorCode: string;
        KpiIngestResult: {
            accepted: number;
            /** @description Items stored before (same key). */
            duplicates: number;
            rejected: components["schemas"]["KpiRejectedItem"][];
        };
        KpiIssue: {
            /** @description SCHEMA, UNKNOWN_INDICATOR, WRONG_TYPE, OUT_OF_RANGE, NOT_FINITE, INVALID_PERIOD, INCONSISTENT, SCOPE, DUPLICATE. */
            code: string;
            message: components["schemas"]["Bilingual"];
            /** @description JSON Pointer of the field within the item. */
            path: string;
        };
        KpiProfileSummary: {
            catalogue: string;
            default: boolean;
            extends?: string;
            id: string;
            illustrative: boolean;
            /** @description Indicators with a target. */
            indicators: number;
            name: {
                en?: string;
                vi: string;
            };
            version: string;
        };
        KpiRejectedItem: {
            index: number;
            issues: components["schemas"]["KpiIssue"][];
        };
        KpiSeries: {
            area: string;
            /** @enum {unknown} */
            granularity: "year" | "quarter" | "month";
            indicator: string;
            points: {
                achievement: number | null;
                /** @enum {unknown} */
                basis?: "observation" | "aggregate" | "none";
                period: string;
                /** @enum {unknown} */
                status: "met" | "not-met" | "no-data" | "not-applicable";
                value: number | boolean | null;
            }[];
            profile: string;
            target?: string | null;
        };
        layer: {
            code: components["schemas"]["code"];
            groups: components["schemas"]["group"][];
            name: components["schemas"]["text"];
        };
        message: {
            en: string;
            vi: string;
        };
        /** @description A FIWARE `Alert` entity (NGSI-LD normalized form). */
        NgsiLdIncidentAlert: {
            "@context": string[];
            alertSource: components["schemas"]["NgsiLdProperty"];
            category: components["schemas"]["NgsiLdProperty"];
            data: components["schemas"]["NgsiLdProperty"];
            dateIssued: components["schemas"]["NgsiLdProperty"];
            id: string;
            location?: components["schemas"]["NgsiLdProperty"];
            severity: components["schemas"]["NgsiLdProperty"];
            subCategory: components["schemas"]["NgsiLdProperty"];
            /** @constant */
            type: "Alert";
        };
        NgsiLdProperty: {
            /** @enum {unknown} */
            type: "Property" | "GeoProperty";
            value: unknown;
        };
        OfficialDocument: {
            attachments: {
                bytes: number;
                contentType: string;
                name: string;
                sha256: string;
            }[];
            /** @description The identifier the document axis gave the package. */
            axisDocId?: string;
            codeNotation: string;
            codeNumber: string;
            /** Format: date-time */
            createdAt: string;
            /** @enum {string} */
            direction: "in" | "out";
            /** @description edXML `DocumentId` (`OrganId,YYYY/MM/DD,Number/Notation`). */
            documentId: string;
            documentType?: string;
            /** @description A signature of a received document did not pass (invalid, untrusted or missing); it is stored and shown, never dropped. */
            flagged: boolean;
            from: components["schemas"]["DocumentOrgan"];
            history: components["schemas"]["DocumentHistoryEntry"][];
            id: string;
            place?: string;
            promulgationDate: string;
            signatures: components["schemas"]["DocumentSignature"][];
            signerName?: string;
            state: components["schemas"]["DocumentState"];
            /** @description Latest edXML status per agency (the recipients' for outgoing, ours for incoming documents). */
            statuses: {
                [key: string]: {
                    /** Format: date-time */
                    at: string;
                    statusCode: string;
                };
            };
            subject: string;
            to: components["schemas"]["DocumentOrgan"][];
            /** Format: date-time */
            updatedAt: string;
        };
        period: {
            year: number;
        } | {
            quarter: number;
            year: number;
        } | {
            month: number;
            year: number;
        } | {
            /** @description ISO 8601 interval, e.g. 2025-01-01T00:00:00+07:00/2025-04-01T00:00:00+07:00 */
            interval: string;
        };
        /** @description RFC 9457 problem details. */
        Problem: {
            /** @description Stable machine-readable code. */
            code?: string;
            detail?: string;
            instance?: string;
            status: number;
            title: string;
            /**
             * Format: uri-reference
             * @example https://dttm.vn/problems/not-found
             */
            type: string;
        };
        PublicReportStatus: {
            category: components["schemas"]["ReportCategory"];
            categoryLabel: components["schemas"]["Bilingual"];
            code: string;
            /** Format: date-time */
            deadline: string;
            district?: string;
            /** @description Past its deadline and not resolved or rejected. */
            overdue: boolean;
            rejectionReason?: string;
            /** @description The published handling result, once resolved. */
            result?: {
                /** Format: date-time */
                at: string;
                text: string;
            };
            state: components["schemas"]["ReportState"];
            /** Format: date-time */
            submittedAt: string;
            /** Format: date-time */
            updatedAt: string;
        };
        quality: ("estimated" | "provisional" | "revised" | "imputed" | "outlier")[];
        ratioTerm: {
            name: components["schemas"]["text"];
            unitLabel?: string;
        };
        Readiness: {
            checks: components["schemas"]["ReadinessChecks"];
            /** @constant */
            status: "ready";
        };
        ReadinessChecks: {
            storage: components["schemas"]["DependencyCheck"];
        };
        RegisteredCamera: {
            area: components["schemas"]["AdminUnitCode"];
            channel: number;
            /** Format: date-time */
            createdAt: string;
            enabled: boolean;
            hasPassword: boolean;
            id: components["schemas"]["CameraId"];
            location: components["schemas"]["CameraLocation"];
            name: string;
            /** @enum {unknown} */
            protocol: "onvif" | "isapi" | "none";
            publicOrder: boolean;
            unit: components["schemas"]["CameraUnit"];
            /** Format: date-time */
            updatedAt: string;
            url?: string;
            username?: string;
        };
        /** @enum {unknown} */
        ReportCategory: "environment" | "traffic" | "urban-order" | "public-security" | "health" | "education" | "land-construction" | "other";
        ReportCategoryInfo: {
            /** @description Calendar days from submission to the deadline. */
            deadlineDays: number;
            department: string;
            id: components["schemas"]["ReportCategory"];
            label: components["schemas"]["Bilingual"];
        };
        ReportReceipt: {
            category: components["schemas"]["ReportCategory"];
            /** @example PA-2026-7K3F9Q */
            code: string;
            /** Format: date-time */
            deadline: string;
            department: string;
            district?: string;
            /** @constant */
            state: "received";
            statusUrl: string;
            /** Format: date-time */
            submittedAt: string;
        };
        /** @enum {unknown} */
        ReportState: "received" | "assigned" | "in-progress" | "resolved" | "rejected" | "escalated";
        ReportSubmission: {
            category: components["schemas"]["ReportCategory"];
            /** @description Kept for the handling department's follow-up; never returned by any endpoint. */
            contact?: {
                /** Format: email */
                email?: string;
                name?: string;
                phone?: string;
            };
            location: {
                address?: string;
                /** @description The district's administrative-unit code, when the citizen knows it. */
                district?: string;
                /** @description WGS 84 latitude; must lie inside the province (about 21.0–21.6 N). */
                lat: number;
                /** @description WGS 84 longitude; must lie inside the province (about 105.9–107.0 E). */
                lon: number;
            };
            photo?: {
                /** @description The image bytes, base64 (at most 2 MB decoded). */
                data: string;
                /** @enum {unknown} */
                mediaType: "image/jpeg" | "image/png";
            };
            /** @description What the citizen reports: 1–4000 characters once normalised to NFC (checked after normalising, so decomposed input is not penalised; `TEXT_INVALID` otherwise). */
            text: string;
        };
        ReportTransition: {
            /** @description With `to` assigned, operators may reassign the report to another department. */
            department?: string;
            expected: components["schemas"]["ReportState"];
            /** @description An internal note (never public). */
            note?: string;
            /**
             * @description With `to` resolved, whether the result is published with the tracking code.
             * @default true
             */
            publish: boolean;
            /** @description Required with `to` rejected; shown to the public. */
            reason?: string;
            /** @description Required with `to` resolved; the handling result. */
            result?: string;
            /** @enum {unknown} */
            to: "assigned" | "in-progress" | "resolved" | "rejected";
        };
        rollup: {
            band: components["schemas"]["band"];
            code: string;
            coverage: number | null;
            /** @enum {unknown} */
            level: "total" | "layer" | "group" | "subgroup";
            met: number;
            name: components["schemas"]["text"];
            noData: number;
            notApplicable: number;
            notMet: number;
            parent?: string;
            score: number | null;
            total: number;
        };
        scope: {
            /** @description Administrative-unit code (province 2 digits, district 3 digits). */
            adminUnitCode?: string;
            department?: string;
            /** @enum {unknown} */
            level: "province" | "district" | "department";
        };
        slug: string;
        sourceRef: {
            document: components["schemas"]["slug"];
            page?: number;
            row?: number;
            table?: string;
        };
        StationAqi: {
            daily: components["schemas"]["AqiValue"] & {
                /**
                 * Format: date
                 * @description The Vietnam calendar day.
                 */
                date: string;
            };
            hourly: components["schemas"]["AqiValue"] & {
                /**
                 * Format: date-time
                 * @description End of the hour, Vietnam time (+07:00).
                 */
                hourEnding: string;
            };
            stationId: string;
        };
        StoredKpiObservation: {
            /** @description The idempotency key (`<source>:<client key>`, or a hash of the observation). */
            key: string;
            observation: components["schemas"]["kpi-observation.schema"];
            /** Format: date-time */
            receivedAt: string;
        };
        StoredReading: {
            /** Format: date-time */
            at: string;
            periodMinutes: number;
            /** Format: date-time */
            receivedAt: string;
            stationId: string;
            values: {
                [key: string]: number;
            };
        };
        subgroup: {
            code: components["schemas"]["code"];
            indicators: components["schemas"]["indicatorFields"][];
            name: components["schemas"]["text"];
            notes?: components["schemas"]["text"];
            sources?: components["schemas"]["sourceRef"][];
        };
        target: {
            /** @description Value progress is measured from; defaults to `current`. */
            baseline?: components["schemas"]["value"];
            current?: components["schemas"]["value"];
            /** @description Days after a period ends by which its observation is due (missing-report alerts). */
            dueAfterDays?: number;
            indicator: components["schemas"]["code"];
            /** @description Kept in the profile but not evaluated. */
            notApplicable?: boolean;
            reference2020?: components["schemas"]["value"];
            row?: number;
            target: components["schemas"]["goal"];
            /** @description The unit as the source table writes it, when it differs from the catalogue's label. */
            unitText?: string;
            weight?: number;
        };
        text: {
            en?: string;
            vi: string;
        };
        /**
         * @description percent: 0–100; boolean: Có/Chưa (yes/not yet); count; count-per-area (e.g. monitoring points per km²); index (dimensionless score); quantity (a measured value in unitLabel, e.g. minutes).
         * @enum {unknown}
         */
        unit: "percent" | "boolean" | "count" | "count-per-area" | "index" | "quantity";
        value: {
            text?: string;
            value: number | boolean;
        } | {
            /**
             * @description no-data: not yet determined (Chưa xác định); not-deployed: not yet deployed (Chưa triển khai), a known zero state.
             * @enum {unknown}
             */
            state: "no-data" | "not-deployed";
            text?: string;
        };
        WatchedPlate: {
            /** Format: date-time */
            addedAt: string;
            addedBy: string;
            /** @description Normalized, e.g. `98A12345`. */
            plate: string;
            raw: string;
            reason: string;
        };
        WatchedPlateInput: {
            /** @description In any spelling, e.g. `98A-123.45`. */
            plate: string;
            reason: string;
        };
        WatchedPlateList: {
            items: components["schemas"]["WatchedPlate"][];
        };
    };
    responses: {
        /** @description The request is malformed; `detail` says which parameter and why. */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The token is valid but its roles do not grant the needed scope. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No such resource. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description The caller (token subject) is over its request budget (`RATE_LIMITED`, see `API_RATE_BURST` and `API_RATE_PER_MINUTE`); retry after `Retry-After` seconds. */
        TooManyRequests: {
            headers: {
                "Retry-After"?: number;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
        /** @description No valid bearer token; `reason` says why (missing-token, expired, wrong-audience, ...). */
        Unauthorized: {
            headers: {
                "WWW-Authenticate"?: string;
                [name: string]: unknown;
            };
            content: {
                "application/problem+json": components["schemas"]["Problem"];
            };
        };
    };
    parameters: {
        AlertId: string;
        /** @description Administrative-unit code; default the profile's area (the province). */
        AreaQuery: components["schemas"]["AdminUnitCode"];
        /** @description With `year`, a month instead of the whole year. */
        MonthQuery: number;
        ProfileId: string;
        /** @description Profile id; default the server's default profile (bac-giang-2025). */
        ProfileQuery: string;
        /** @description With `year`, a quarter instead of the whole year. */
        QuarterQuery: number;
        ReportId: string;
        StationId: string;
        YearQuery: number;
    };
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listAlerts: {
        parameters: {
            query?: {
                indicator?: components["schemas"]["KpiIndicatorCode"];
                kind?: "target-not-met" | "regression" | "missing-report" | "threshold";
                limit?: number;
                /** @description Comma-separated states; default open and acknowledged. */
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alerts. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["kpi-alert.schema"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: components["parameters"]["AlertId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The alert. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["kpi-alert.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    acknowledgeAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: components["parameters"]["AlertId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AlertTransition"];
            };
        };
        responses: {
            /** @description The acknowledged alert. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["kpi-alert.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The alert is not open. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    resolveAlert: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                alertId: components["parameters"]["AlertId"];
            };
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AlertTransition"];
            };
        };
        responses: {
            /** @description The resolved alert. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["kpi-alert.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The alert is already resolved. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    listAuditEntries: {
        parameters: {
            query?: {
                /** @description Return records after this sequence number (exclusive). */
                afterSeq?: number;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of records. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    verifyAuditLog: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The verification result. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditVerification"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listCameras: {
        parameters: {
            query?: {
                area?: components["schemas"]["AdminUnitCode"];
                unit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Cameras by id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraList"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    registerCamera: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CameraRegistration"];
            };
        };
        responses: {
            /** @description The camera as registered. */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisteredCamera"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description A camera with that id is registered already (`CAMERA_EXISTS`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description No url for a connected camera, credentials inside the url (`CAMERA_INVALID`), or an unknown district (`UNKNOWN_DISTRICT`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    getCamera: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The camera. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisteredCamera"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    updateCamera: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CameraRegistration"];
            };
        };
        responses: {
            /** @description The camera after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RegisteredCamera"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description As for registration, or a body naming another id (`CAMERA_INVALID`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    deleteCamera: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    ingestFrigateEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["FrigateEventMessage"];
            };
        };
        responses: {
            /** @description Accepted and handled. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraEventAccepted"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The camera is disabled (`CAMERA_DISABLED`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a Frigate event (`EVENT_INVALID`, with the JSON `path`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    getCameraHealth: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The health. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraHealth"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getCameraSnapshot: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                cameraId: components["schemas"]["CameraId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The image. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description A registry-only or disabled camera (`CAMERA_NOT_CONNECTED`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description The camera did not answer with an image (`CAMERA_UNREACHABLE`). */
            502: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getCameraCoverage: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The coverage. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraCoverage"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listDocuments: {
        parameters: {
            query?: {
                direction?: "in" | "out";
                flagged?: boolean;
                from?: string;
                limit?: number;
                offset?: number;
                /** @description Comma-separated document states. */
                status?: string;
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of documents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
            /** @description No LGSP document axis is configured (`LGSP_NOT_CONFIGURED`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    sendDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DocumentSubmission"];
            };
        };
        responses: {
            /** @description Queued in the outbox. */
            202: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfficialDocument"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description A document with this number, notation and date was sent already (`DOCUMENT_EXISTS`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An attachment or the body is too large (`ATTACHMENT_TOO_LARGE`, `BODY_TOO_LARGE`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description An attachment is not base64, empty or not of its type (`ATTACHMENT_INVALID`), or the package breaks an edXML rule (`EDXML_INVALID`, `EDXML_LIMIT_EXCEEDED`, `AGENCY_CODE_INVALID`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description No LGSP document axis is configured (`LGSP_NOT_CONFIGURED`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDocument: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfficialDocument"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            /** @description No LGSP document axis is configured (`LGSP_NOT_CONFIGURED`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDocumentEdxml: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The package. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/xml": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            /** @description No LGSP document axis is configured (`LGSP_NOT_CONFIGURED`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getDocumentReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The stored reports. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DocumentReports"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
            /** @description No LGSP document axis is configured (`LGSP_NOT_CONFIGURED`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    recordDocumentStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                documentId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["DocumentStatusReport"];
            };
        };
        responses: {
            /** @description Recorded; the status package is queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OfficialDocument"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            /** @description The document was sent by us (`NOT_A_RECEIVED_DOCUMENT`) or is closed (`DOCUMENT_CLOSED`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
            /** @description No LGSP document axis is configured (`LGSP_NOT_CONFIGURED`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    listStations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every registered station. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["env-station.schema"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createStation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["env-station.schema"];
            };
        };
        responses: {
            /** @description Registered. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["env-station.schema"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description A station with this id exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    getStation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The station. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["env-station.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getStationAqi: {
        parameters: {
            query?: {
                /** @description An instant within the hour of interest (ISO 8601 with offset). */
                at?: string;
            };
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The station's AQI. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StationAqi"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listReadings: {
        parameters: {
            query?: {
                /** @description Inclusive start (ISO 8601 with offset). Default 24 hours before `to`. */
                from?: string;
                limit?: number;
                /** @description Exclusive end. Default now. */
                to?: string;
            };
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Readings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StoredReading"][];
                        stationId: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    ingestReadings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                stationId: components["parameters"]["StationId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    readings: components["schemas"]["env-reading.schema"][];
                };
            };
        };
        responses: {
            /** @description Stored. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IngestResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    streamEvents: {
        parameters: {
            query?: {
                /** @description The bearer token, for clients that cannot send an Authorization header (RFC 6750 §2.3). */
                access_token?: string;
                /** @description Comma-separated event types to receive; all when absent. */
                types?: string;
            };
            header?: {
                "Last-Event-ID"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An open event stream. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listHealthFacilities: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every registered facility, by id. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["HealthFacility"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    createHealthFacility: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HealthFacilityInput"];
            };
        };
        responses: {
            /** @description Registered. */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthFacility"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description A facility with this id is registered. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    getHealthFacility: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                facilityId: components["schemas"]["HealthFacilityId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The facility. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthFacility"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    putHealthFacility: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                facilityId: components["schemas"]["HealthFacilityId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["HealthFacilityUpdate"];
            };
        };
        responses: {
            /** @description Replaced. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthFacility"];
                };
            };
            /** @description Registered. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthFacility"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listHl7Messages: {
        parameters: {
            query?: {
                delivery?: components["schemas"]["Hl7DeliveryState"];
                facility?: components["schemas"]["HealthFacilityId"];
                /** @description Received at or after this instant. */
                from?: string;
                limit?: number;
                offset?: number;
                /** @description Received before this instant. */
                to?: string;
                /** @description A message code (`ADT`) or type (`ADT^A01`). */
                type?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of messages; `nextOffset` when there are more. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["Hl7MessageSummary"][];
                        nextOffset?: number;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getHl7Message: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                messageId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The message. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Hl7MessageDetail"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getHealthSummary: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The summary. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HealthSummary"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listIncidents: {
        parameters: {
            query?: {
                area?: components["schemas"]["AdminUnitCode"];
                camera?: components["schemas"]["CameraId"];
                /** @description Opened at or after (ISO 8601 date-time). */
                from?: string;
                limit?: number;
                offset?: number;
                /** @description Comma-separated states. */
                state?: string;
                /** @description Opened before (ISO 8601 date-time). */
                to?: string;
                unit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of incidents. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IncidentPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The incident. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraIncident"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getIncidentCap: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The CAP alert. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/cap+xml": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getIncidentNgsiLd: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The `Alert` entity. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/ld+json": components["schemas"]["NgsiLdIncidentAlert"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    transitionIncident: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                incidentId: components["schemas"]["IncidentId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["IncidentTransition"];
            };
        };
        responses: {
            /** @description The incident after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CameraIncident"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description Not the camera's unit nor an operator (`NOT_ASSIGNED`), or the token lacks `incidents:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The transition is not allowed from the incident's state, or it is not in `expected` (`INCIDENT_STATE_CONFLICT`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    getKpiCatalogue: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The catalogue the server's profiles build on. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["kpi-catalogue.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getKpiSeries: {
        parameters: {
            query?: {
                /** @description Administrative-unit code; default the profile's area (the province). */
                area?: components["parameters"]["AreaQuery"];
                fromYear?: number;
                granularity?: "year" | "quarter" | "month";
                /** @description Profile id; default the server's default profile (bac-giang-2025). */
                profile?: components["parameters"]["ProfileQuery"];
                toYear?: number;
            };
            header?: never;
            path: {
                indicator: components["schemas"]["KpiIndicatorCode"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The series, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KpiSeries"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listKpiObservations: {
        parameters: {
            query?: {
                /** @description Administrative-unit code (province or district). */
                area?: components["schemas"]["AdminUnitCode"];
                /** @description Only periods ending after this instant. */
                from?: string;
                indicator?: components["schemas"]["KpiIndicatorCode"];
                limit?: number;
                /** @description Only periods starting before this instant. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Observations. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["StoredKpiObservation"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    ingestKpiObservations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    observations: unknown[];
                };
            };
        };
        responses: {
            /** @description The valid items are stored. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["KpiIngestResult"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No item could be accepted; `rejected` lists every item's issues. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    listKpiProfiles: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Profiles, the default one first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["KpiProfileSummary"][];
                    };
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getKpiProfile: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                profileId: components["parameters"]["ProfileId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["kpi-profile.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getKpiScorecard: {
        parameters: {
            query?: {
                /** @description Administrative-unit code; default the profile's area (the province). */
                area?: components["parameters"]["AreaQuery"];
                /** @description With `year`, a month instead of the whole year. */
                month?: components["parameters"]["MonthQuery"];
                /** @description Profile id; default the server's default profile (bac-giang-2025). */
                profile?: components["parameters"]["ProfileQuery"];
                /** @description With `year`, a quarter instead of the whole year. */
                quarter?: components["parameters"]["QuarterQuery"];
                year?: components["parameters"]["YearQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The scorecard. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["kpi-scorecard.schema"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getKpiScorecardCsv: {
        parameters: {
            query?: {
                /** @description Administrative-unit code; default the profile's area (the province). */
                area?: components["parameters"]["AreaQuery"];
                lang?: "vi" | "en";
                /** @description With `year`, a month instead of the whole year. */
                month?: components["parameters"]["MonthQuery"];
                /** @description Profile id; default the server's default profile (bac-giang-2025). */
                profile?: components["parameters"]["ProfileQuery"];
                /** @description With `year`, a quarter instead of the whole year. */
                quarter?: components["parameters"]["QuarterQuery"];
                year?: components["parameters"]["YearQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One row per indicator. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getKpiScorecardFiware: {
        parameters: {
            query?: {
                /** @description Administrative-unit code; default the profile's area (the province). */
                area?: components["parameters"]["AreaQuery"];
                /** @description With `year`, a month instead of the whole year. */
                month?: components["parameters"]["MonthQuery"];
                /** @description Profile id; default the server's default profile (bac-giang-2025). */
                profile?: components["parameters"]["ProfileQuery"];
                /** @description With `year`, a quarter instead of the whole year. */
                quarter?: components["parameters"]["QuarterQuery"];
                year?: components["parameters"]["YearQuery"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entity per indicator with a value. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/ld+json": {
                        id: string;
                        kpiValue: Record<string, never>;
                        /** @constant */
                        type: "KeyPerformanceIndicator";
                    }[];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getCaller: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The caller. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Caller"];
                };
            };
            401: components["responses"]["Unauthorized"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    listReportCategories: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The categories. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["ReportCategoryInfo"][];
                    };
                };
            };
        };
    };
    submitReport: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportSubmission"];
            };
        };
        responses: {
            /** @description Received; the tracking code lets the citizen follow it. */
            201: {
                headers: {
                    /** @description The public status URL. */
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ReportReceipt"];
                };
            };
            400: components["responses"]["BadRequest"];
            /** @description The body or the photo is too large (`BODY_TOO_LARGE`, `PHOTO_TOO_LARGE`). */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Well-formed but not acceptable: `LOCATION_OUTSIDE_PROVINCE`, `UNKNOWN_DISTRICT`, `PHOTO_TYPE_NOT_ALLOWED` (the bytes are not a JPEG or PNG, or not the declared type), `PHOTO_INVALID` (not base64), `TEXT_INVALID` (empty or too long after normalisation). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Too many submissions from this address (`RATE_LIMITED`); retry after `Retry-After` seconds. */
            429: {
                headers: {
                    "Retry-After"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
        };
    };
    getReportStatus: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The tracking code (letters in any case). */
                code: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PublicReportStatus"];
                };
            };
            400: components["responses"]["BadRequest"];
            404: components["responses"]["NotFound"];
        };
    };
    listReports: {
        parameters: {
            query?: {
                category?: components["schemas"]["ReportCategory"];
                limit?: number;
                /** @description Only (true) or never (false) reports past their deadline and not closed. */
                overdue?: boolean;
                /** @description Comma-separated states; all when absent. */
                state?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Reports. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: components["schemas"]["field-report.schema"][];
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reportId: components["parameters"]["ReportId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["field-report.schema"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    getReportPhoto: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reportId: components["parameters"]["ReportId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The photo as submitted. */
            200: {
                headers: {
                    /** @description The SHA-256 of the bytes. */
                    ETag?: string;
                    [name: string]: unknown;
                };
                content: {
                    "image/jpeg": string;
                    "image/png": string;
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    transitionReport: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                reportId: components["parameters"]["ReportId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ReportTransition"];
            };
        };
        responses: {
            /** @description The report after the change. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["field-report.schema"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            /** @description Not the assigned department nor an operator (`NOT_ASSIGNED`), or the token lacks `reports:write`. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            404: components["responses"]["NotFound"];
            /** @description The report is not in `expected` any more, or the transition is not allowed from its state (`REPORT_STATE_CONFLICT`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description A resolution without `result`, a rejection without `reason`, or an unknown department (`REPORT_TRANSITION_INVALID`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    listWatchedPlates: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Plates by normalized form. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WatchedPlateList"];
                };
            };
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            429: components["responses"]["TooManyRequests"];
        };
    };
    watchPlate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["WatchedPlateInput"];
            };
        };
        responses: {
            /** @description The entry. */
            201: {
                headers: {
                    Location?: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WatchedPlate"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The plate is listed already (`PLATE_LISTED`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            /** @description Not a plate (`PLATE_INVALID`) or an empty reason (`REASON_REQUIRED`). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    unwatchPlate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The plate in any spelling (normalized before lookup). */
                plate: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description The plate is not listed (`PLATE_NOT_LISTED`). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"];
                };
            };
            429: components["responses"]["TooManyRequests"];
        };
    };
    getApiDocs: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An HTML page rendering `/openapi.json` (no external assets). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The process is alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getMetrics: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Metrics in the Prometheus text exposition format 0.0.4. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain": string;
                };
            };
        };
    };
    getOpenApiDocument: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI 3.1 document of this server, with external references bundled. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        info: Record<string, never>;
                        openapi: string;
                        paths: Record<string, never>;
                    };
                };
            };
        };
    };
    getReadiness: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready to serve traffic. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            /** @description A dependency is unavailable; `checks` says which. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/problem+json": components["schemas"]["Problem"] & {
                        checks: components["schemas"]["ReadinessChecks"];
                    };
                };
            };
        };
    };
}
