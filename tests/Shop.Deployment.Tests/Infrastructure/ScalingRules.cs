namespace Shop.Deployment.Tests.Infrastructure;

/// <summary>
/// The KEDA rules of the function apps: one ScaledObject per app on the queues that app consumes (as its own
/// registration says, and as <see cref="ShopTopology"/> declares them), never below one replica, with a maximum,
/// and authenticated against the same broker the app connects to.
/// </summary>
internal static class ScalingRules
{
    public static List<string> Problems(KubernetesManifests manifests, IReadOnlyDictionary<string, IReadOnlyList<string>> consumedQueues)
    {
        var problems = new List<string>();
        var declared = ShopTopology.Queues.Select(q => q.Queue).ToHashSet(StringComparer.Ordinal);
        foreach (var (app, queues) in consumedQueues)
        {
            var scaled = manifests.OfKind("ScaledObject").Where(o => Target(o) == app).ToList();
            if (scaled.Count != 1)
            {
                problems.Add($"{app}: {scaled.Count} ScaledObjects target its Deployment; it needs exactly one, on the queues it consumes [{string.Join(", ", queues)}].");
                continue;
            }

            var named = RabbitTriggers(scaled[0]).Select(t => t["metadata"]?["queueName"].Text()).ToHashSet(StringComparer.Ordinal);
            problems.AddRange(queues.Where(queue => !named.Contains(queue))
                .Select(queue => $"{scaled[0]}: {app} consumes {queue}, but no rabbitmq trigger scales it on that queue."));
        }

        foreach (var item in manifests.OfKind("ScaledObject"))
        {
            problems.AddRange(ProblemsOf(item, manifests, consumedQueues, declared));
        }

        // A broken TriggerAuthentication is reported once, not once per ScaledObject using it.
        return problems.Distinct(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<string> ProblemsOf(
        KubernetesObject item, KubernetesManifests manifests, IReadOnlyDictionary<string, IReadOnlyList<string>> consumedQueues, HashSet<string> declared)
    {
        var target = Target(item);
        var kind = item.Spec?["scaleTargetRef"]?["kind"].Text() ?? "Deployment";
        if (kind != "Deployment" || manifests.Find("Deployment", target) is null)
        {
            yield return $"{item}: scaleTargetRef names {kind} '{target}', which {KubernetesManifests.FolderName}/ does not define.";
        }

        var min = item.Spec?["minReplicaCount"].Number();
        var max = item.Spec?["maxReplicaCount"].Number();
        if (min is not >= 1)
        {
            yield return $"{item}: minReplicaCount is {min?.ToString(CultureInfo.InvariantCulture) ?? "unset (KEDA's default is 0)"}; it must be at least 1, "
                + "or nothing runs the consumer while messages wait.";
        }

        if (max is null || max < min)
        {
            yield return $"{item}: maxReplicaCount must be set, and not below minReplicaCount.";
        }

        if (item.Spec?["idleReplicaCount"] is not null)
        {
            yield return $"{item}: idleReplicaCount lets KEDA scale the consumer to zero; remove it.";
        }

        var triggers = RabbitTriggers(item).ToList();
        if (triggers.Count == 0)
        {
            yield return $"{item}: no rabbitmq trigger.";
        }

        var consumed = consumedQueues.GetValueOrDefault(target) ?? [];
        foreach (var trigger in triggers)
        {
            var metadata = trigger["metadata"] as JsonObject ?? [];
            var queue = metadata["queueName"].Text();
            if (queue is null || !declared.Contains(queue))
            {
                yield return $"{item}: queueName '{queue}' is not a queue ShopTopology declares [{string.Join(", ", declared.Order())}].";
            }
            else if (!consumed.Contains(queue))
            {
                yield return $"{item}: queueName '{queue}' is not consumed by {target} (it consumes [{string.Join(", ", consumed)}]).";
            }

            if (metadata["mode"].Text() != "QueueLength")
            {
                yield return $"{item}: the trigger on '{queue}' must scale on mode QueueLength.";
            }

            if (!double.TryParse(metadata["value"].Text(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                yield return $"{item}: the trigger on '{queue}' needs a positive target 'value' (messages per replica).";
            }

            foreach (var problem in BrokerProblems(item, trigger, manifests, target))
            {
                yield return problem;
            }
        }
    }

    /// <summary>The scaler reads the host from a TriggerAuthentication whose Secret key holds the broker URI the app uses.</summary>
    private static IEnumerable<string> BrokerProblems(KubernetesObject item, JsonObject trigger, KubernetesManifests manifests, string target)
    {
        var authName = trigger["authenticationRef"]?["name"].Text();
        var auth = authName is null ? null : manifests.Find("TriggerAuthentication", authName);
        if (auth is null)
        {
            yield return $"{item}: authenticationRef names TriggerAuthentication '{authName}', which {KubernetesManifests.FolderName}/ does not define.";
            yield break;
        }

        var host = (auth.Spec?["secretTargetRef"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(r => r["parameter"].Text() == "host");
        var secret = host?["name"].Text();
        var key = host?["key"].Text();
        var uri = secret is null ? null : manifests.Find("Secret", secret)?.Body["stringData"]?[key ?? ""].Text();
        if (uri is null)
        {
            yield return $"{auth}: no 'host' parameter from an existing Secret key (names Secret '{secret}', key '{key}').";
            yield break;
        }

        var appBroker = PodContainer.Of(manifests, target)?.Environment([]).GetValueOrDefault("ConnectionStrings__RabbitMq")?.Value;
        if (appBroker != uri)
        {
            yield return $"{item}: the scaler watches the broker at Secret {secret}/{key}, but {target} connects to another one (ConnectionStrings__RabbitMq).";
        }
    }

    private static string Target(KubernetesObject scaledObject) => scaledObject.Spec?["scaleTargetRef"]?["name"].Text() ?? "";

    private static IEnumerable<JsonObject> RabbitTriggers(KubernetesObject scaledObject) =>
        (scaledObject.Spec?["triggers"] as JsonArray ?? []).OfType<JsonObject>().Where(t => t["type"].Text() == "rabbitmq");

}
