-- Argo CD health of image-gallery-operator objects (Region, Gallery, ImageDefinition, ImageVersion),
-- read from their kstatus conditions: Degraded when Stalled=True or Ready=False, Progressing while
-- the operator works or has not yet observed the latest generation, Healthy when Ready=True.
local hs = {}
local function condition(conditionType)
  if obj.status ~= nil and obj.status.conditions ~= nil then
    for _, c in ipairs(obj.status.conditions) do
      if c.type == conditionType then
        return c
      end
    end
  end
  return nil
end
local function verdict(status, message)
  hs.status = status
  hs.message = message
  return hs
end
local function holds(c, status)
  return c ~= nil and c.status == status
end
local function describe(c)
  return (c.reason or "") .. ": " .. (c.message or "")
end
if obj.metadata.deletionTimestamp ~= nil then
  return verdict("Progressing", "Being deleted")
end
if obj.status == nil or obj.status.observedGeneration ~= obj.metadata.generation then
  return verdict("Progressing", "Waiting for the operator to observe generation " .. tostring(obj.metadata.generation))
end
local stalled = condition("Stalled")
if holds(stalled, "True") then
  return verdict("Degraded", describe(stalled))
end
local reconciling = condition("Reconciling")
if holds(reconciling, "True") then
  return verdict("Progressing", describe(reconciling))
end
local ready = condition("Ready")
if holds(ready, "True") then
  return verdict("Healthy", describe(ready))
end
if holds(ready, "False") then
  return verdict("Degraded", describe(ready))
end
return verdict("Progressing", "Waiting for the Ready condition")
