using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using NATS.Client.Core;
using Portal.Protocol;

namespace Portal.IntegrationTests.Infrastructure;

/// <summary>
/// The HTPI services as a test plays them on a real nats-server: auth (login, verify), tenant access and
/// the patient reads, with the demo user. Any subject can be held: its requests wait, unanswered, until
/// the test lets them through, so a test can put a socket's drop or resume between a request and its answer.
/// </summary>
public sealed class PlayedServices : IAsyncDisposable
{
    private readonly NatsConnection _nats;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<string, bool> _holding = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<(NatsMsg<byte[]> Request, byte[] Answer)>> _held = new();

    private volatile bool _tokensAccepted = true;

    private PlayedServices(NatsConnection nats) => _nats = nats;

    public static async Task<PlayedServices> StartAsync(IsolatedPortal portal)
    {
        var services = new PlayedServices(portal.Client());
        await services.ServeAsync(Subjects.AuthLogin, async request =>
        {
            // Answered on the socket's reply subject, as the auth service does.
            var clientId = JsonDocument.Parse(request.Data!).RootElement.GetProperty("clientId").GetString();
            var answer = $$"""{"success":true,"clientId":"{{clientId}}","user":{"id":"user-demo","email":"demo@htpi.com","name":"Demo","role":"customer","tenants":["tenant-001","tenant-002"]},"token":"token-{{clientId}}"}""";
            await services._nats.PublishAsync($"customer.auth.response.{clientId}", Encoding.UTF8.GetBytes(answer));
            return null;
        });
        await services.ServeAsync(Subjects.AuthVerify, _ => Task.FromResult<string?>(services._tokensAccepted
            ? """{"valid":true,"user_id":"user-demo","email":"demo@htpi.com","role":"customer","portal":"customer"}"""
            : """{"valid":false,"error":"Token expired"}"""));
        await services.ServeAsync(Subjects.TenantVerifyAccess, request =>
        {
            var tenant = JsonDocument.Parse(request.Data!).RootElement.GetProperty("tenantId").GetString();
            return Task.FromResult<string?>($$"""{"hasAccess":true,"userId":"user-demo","tenantId":"{{tenant}}"}""");
        });
        await services.ServeAsync(Subjects.PatientList, _ => Task.FromResult<string?>("""{"patients":[{"id":"p-1"}]}"""));
        await services.ServeAsync(Subjects.PatientGet, request =>
        {
            var patient = JsonDocument.Parse(request.Data!).RootElement.GetProperty("patientId").GetString();
            return Task.FromResult<string?>($$$"""{"success":true,"patient":{"id":"{{{patient}}}"}}""");
        });

        // A round trip after the subscribes: the server holds them all before the test's first call
        // (a login right after could otherwise find no responder on a loaded machine).
        await services._nats.PingAsync();
        return services;
    }

    /// <summary>From now on the auth service refuses every token (as when they expire or are revoked there).</summary>
    public void RefuseTokens() => _tokensAccepted = false;

    /// <summary>From now on, requests on <paramref name="subject"/> wait for <see cref="LetThrough"/>.</summary>
    public void Hold(string subject) => _holding[subject] = true;

    /// <summary>How many requests on <paramref name="subject"/> are waiting.</summary>
    public int Waiting(string subject) => _held.TryGetValue(subject, out var queue) ? queue.Count : 0;

    /// <summary>Answers every request held on <paramref name="subject"/> and stops holding it.</summary>
    public async Task LetThrough(string subject)
    {
        _holding[subject] = false;
        if (_held.TryGetValue(subject, out var queue))
        {
            while (queue.TryDequeue(out var held))
            {
                await held.Request.ReplyAsync(held.Answer);
            }
        }
    }

    private async Task ServeAsync(string subject, Func<NatsMsg<byte[]>, Task<string?>> answer)
    {
        var subscription = await _nats.SubscribeCoreAsync<byte[]>(subject, cancellationToken: _stop.Token);
        _loops.Add(Task.Run(async () =>
        {
            await foreach (var request in subscription.Msgs.ReadAllAsync(_stop.Token))
            {
                if (await answer(request) is not { } body)
                {
                    continue;
                }

                var bytes = Encoding.UTF8.GetBytes(body);
                if (_holding.GetValueOrDefault(subject))
                {
                    _held.GetOrAdd(subject, _ => new()).Enqueue((request, bytes));
                    continue;
                }

                await request.ReplyAsync(bytes);
            }
        }));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
            // The loops end with the test.
        }

        await _nats.DisposeAsync();
        _stop.Dispose();
    }
}
