-- Argo CD health check for dbbinding.io/DatabaseBinding.
--
-- Install it in argocd-cm under resource.customizations.health.dbbinding.io_DatabaseBinding
-- (see docs/operations.md). It reads the kstatus conditions the operator publishes:
--   Suspended    spec.suspend is true: the operator observes and reports, and applies nothing
--   Progressing  no status yet, or the status is older than the spec (observedGeneration), or
--                Reconciling is True (connecting, applying, retrying with backoff, or a contract
--                step waiting for the rollout: WaitingForRollout), or the binding waits for its
--                Secret or ConfigMaps
--   Degraded     Stalled is True: an error that needs a person; the message says what to do;
--                or Ready is False for a schema changed by hand (Drifted, spec.migrations.drift
--                block): the pods are held back until a person undoes it or migrates it
--   Healthy      Ready is True for the current generation; with spec.migrations.drift warn, a
--                schema changed by hand (SchemaDrift True) stays Healthy, the message saying so:
--                the owner chose to be told, not to stop the application
local hs = {}

local function condition(conditions, type)
  if conditions == nil then
    return nil
  end
  for _, c in ipairs(conditions) do
    if c.type == type then
      return c
    end
  end
  return nil
end

local function text(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end

if obj.spec ~= nil and obj.spec.suspend == true then
  hs.status = "Suspended"
  hs.message = "Suspended (spec.suspend): migrations are reported, not applied"
  return hs
end

local status = obj.status
local generation = obj.metadata.generation
if status == nil or status.conditions == nil or #status.conditions == 0 then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to report on the binding"
  return hs
end
if generation ~= nil and status.observedGeneration ~= generation then
  hs.status = "Progressing"
  hs.message = "Waiting for the operator to observe generation " .. tostring(generation)
  return hs
end

local stalled = condition(status.conditions, "Stalled")
if stalled ~= nil and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = text(stalled, stalled.reason or "Stalled")
  return hs
end

local reconciling = condition(status.conditions, "Reconciling")
if reconciling ~= nil and reconciling.status == "True" then
  hs.status = "Progressing"
  hs.message = text(reconciling, "Reconciling")
  return hs
end

local ready = condition(status.conditions, "Ready")
if ready ~= nil and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = text(ready, "Ready")
  local drift = condition(status.conditions, "SchemaDrift")
  if drift ~= nil and drift.status == "True" then
    hs.message = text(drift, "Schema drift")
  end
  return hs
end
if ready ~= nil and ready.reason == "Drifted" then
  hs.status = "Degraded"
  hs.message = text(ready, "Schema drift")
  return hs
end

-- Not Ready, yet neither stalled nor retrying: waiting for a Secret or ConfigMap that Argo CD may
-- be about to sync.
hs.status = "Progressing"
hs.message = text(ready, "Waiting for the binding to become Ready")
return hs
