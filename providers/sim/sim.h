/*
** providers/sim/sim.h — the simulated AWS: public interface.
**
** The simulator answers AWS API operations (see providers/call.h) against a
** "world": IAM roles, SageMaker models/configs/endpoints, Application Auto
** Scaling targets and policies, CloudWatch alarms and metric data, SNS topics.
** The world lives in memory and is persisted as byte-stable JSON in
** DIR/.tfc/sim-world.json after every mutating call (temp file, fsync,
** rename). Time is a virtual clock (seconds since the Unix epoch) that only
** moves when something advances it: sim_advance, sim_traffic, or the
** pseudo-service "sim" operation "Advance" through the call interface, which
** is how the provider's waiters let simulated minutes pass without linking
** simulator internals.
**
** Ownership: a SimWorld is owned by whoever opened it (sim_world_open) or by
** the transport (sim_open); strings returned by getters belong to the world.
** Not thread-safe by itself; the transport serialises calls with a mutex.
*/
#ifndef TFC_SIM_H
#define TFC_SIM_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "base/buf.h"
#include "base/diag.h"
#include "providers/call.h"

typedef struct SimWorld SimWorld;

/* Opens (or creates) the world of directory dir (its file is
** dir/.tfc/sim-world.json). dir NULL = an in-memory world that is never
** saved (unit tests). Returns NULL and adds a diagnostic when the file
** exists but cannot be read or parsed. */
SimWorld *sim_world_open(const char *dir, DiagList *diags);
void sim_world_close(SimWorld *w);
/* Writes the world file atomically; returns 0, or -1 with a diagnostic. */
int sim_world_save(SimWorld *w, DiagList *diags);
/* Several tfc processes may share a world (an apply, and `tfc sim traffic`
** in another terminal). begin takes the world's lock file and, when another
** process saved the file since this one last read or wrote it, reloads it;
** end releases the lock. Calls nest; sim_call does both itself. */
void sim_world_begin(SimWorld *w);
void sim_world_end(SimWorld *w);
/* Forgets every object and restarts the clock (knobs and seed re-read). */
void sim_world_reset(SimWorld *w);
/* The world as JSON (owned by the world; keys are sorted when saved). */
const cJSON *sim_world_doc(const SimWorld *w);

/* One API call, exactly as through the transport (saves when it mutated). */
int sim_call(SimWorld *w, const char *service, const char *op, const cJSON *req, cJSON **resp,
             AwsError *err);

/* The transport the provider uses. It owns its world. */
AwsTransport *sim_open(const char *dir, DiagList *diags);
SimWorld *sim_transport_world(AwsTransport *t);

/* Virtual clock: seconds since the Unix epoch. */
long long sim_clock_now(const SimWorld *w);
/* Lets simulated time pass: endpoint transitions, metrics emitted every
** minute, alarm evaluations, scaling actions. */
void sim_advance(SimWorld *w, long long seconds);

/* Sends rps requests per second to endpoint for `seconds` of simulated time
** (the clock advances minute by minute, metrics are emitted, alarms and
** autoscaling react). error_rate (0..1) makes that share of requests 4xx
** errors; latency_ms sets the model latency (0 = the knob default).
** Returns -1 with an AWS-shaped error when the endpoint does not exist. */
int sim_traffic(SimWorld *w, const char *endpoint, double rps, long long seconds, double error_rate,
                double latency_ms, AwsError *err);
/* The same traffic without moving the clock: it flows while whatever
** advances the clock next (an apply's waiter, `tfc sim advance`) runs —
** e.g. load on an endpoint during a deployment. Replaces any earlier
** traffic to that endpoint; rps 0 stops it. */
int sim_traffic_start(SimWorld *w, const char *endpoint, double rps, long long seconds, double error_rate,
                      double latency_ms, AwsError *err);
/* Marks a container image as faulty: requests served by it fail with 5xx
** at the given rate (0 removes that fault). */
void sim_fault(SimWorld *w, const char *image_uri, double rate_5xx);
/* Makes an image never answer /ping (a fleet running it fails to start:
** Failed on create, rolled back on update); false heals it. */
void sim_fault_ping(SimWorld *w, const char *image_uri, bool fails);

/* The knobs table (name, value, default, source), one knob a line. */
void sim_knobs_text(Buf *out);

/* Human-readable summary for `tfc sim status`. */
void sim_status_text(SimWorld *w, Buf *out);

/* Formats t as ISO 8601 UTC ("2026-01-01T00:00:00Z") into buf (>= 24 bytes). */
const char *sim_time_iso(long long t, char *buf);
/* Parses "90", "90s", "10m", "2h", "1d", "1h30m"; returns -1 when malformed. */
long long sim_parse_duration(const char *s);

#endif
