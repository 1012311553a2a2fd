using System.Reflection;
using System.Runtime.InteropServices;
using Confluent.Kafka;

namespace Courier.Kafka.Native;

/// <summary>
/// The parts of librdkafka's C API that Confluent.Kafka does not wrap: the mock cluster's fault injection
/// (<c>rdkafka_mock.h</c>) and <c>rd_kafka_test_fatal_error</c>. They are called in the very library Confluent.Kafka
/// loaded — a second copy of librdkafka would have its own globals, and an <c>rd_kafka_t</c> of one copy must never be
/// handed to the other.
/// </summary>
/// <remarks>
/// The mock API is marked experimental by librdkafka (no ABI guarantee); these signatures are those of librdkafka 2.16,
/// which Confluent.Kafka 2.16 ships.
/// </remarks>
internal static class NativeMethods
{
    /// <summary>A name no real library has; <see cref="Resolve"/> maps it to the librdkafka Confluent.Kafka loaded.</summary>
    private const string Librdkafka = "courier-loaded-librdkafka";

    private static readonly Lazy<IntPtr> s_library = new(FindLoadedLibrary, LazyThreadSafetyMode.ExecutionAndPublication);

#pragma warning disable CA1810 // The resolver must be registered before the first P/Invoke, exactly once per assembly.
    static NativeMethods() => NativeLibrary.SetDllImportResolver(typeof(NativeMethods).Assembly, Resolve);
#pragma warning restore CA1810

    /// <summary>The <c>rd_kafka_t*</c> inside a Confluent.Kafka client handle.</summary>
    /// <remarks>
    /// Confluent.Kafka keeps it in the internal property <c>Handle.LibrdkafkaHandle</c> (a SafeHandle), unchanged from 1.0
    /// to 2.16. There is no public accessor, so this reads it by reflection and says so plainly if a later version moves it.
    /// </remarks>
    public static SafeHandle KafkaHandle(Handle handle)
    {
        ArgumentNullException.ThrowIfNull(handle);
        var property = typeof(Handle).GetProperty("LibrdkafkaHandle", BindingFlags.Instance | BindingFlags.NonPublic);
        if (property?.GetValue(handle) is SafeHandle safeHandle)
        {
            return safeHandle;
        }
        throw new InvalidOperationException(
            $"Confluent.Kafka {typeof(Handle).Assembly.GetName().Version} has no internal Handle.LibrdkafkaHandle SafeHandle any more " +
            "(Courier was built against 2.16); the Kafka development cluster's fault injection needs updating for this version.");
    }

    /// <summary>Runs <paramref name="action"/> with the raw <c>rd_kafka_t*</c>, keeping the handle alive meanwhile.</summary>
    public static T WithKafkaHandle<T>(Handle handle, Func<IntPtr, T> action)
    {
        var safeHandle = KafkaHandle(handle);
        var added = false;
        try
        {
            safeHandle.DangerousAddRef(ref added);
            return action(safeHandle.DangerousGetHandle());
        }
        finally
        {
            if (added)
            {
                safeHandle.DangerousRelease();
            }
        }
    }

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_handle_mock_cluster")]
    public static extern IntPtr HandleMockCluster(IntPtr rk);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_broker_set_down")]
    public static extern ErrorCode MockBrokerSetDown(IntPtr mcluster, int brokerId);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_broker_set_up")]
    public static extern ErrorCode MockBrokerSetUp(IntPtr mcluster, int brokerId);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_broker_set_rtt")]
    public static extern ErrorCode MockBrokerSetRtt(IntPtr mcluster, int brokerId, int rttMs);

    /// <summary>The array form, so no C varargs cross the P/Invoke boundary.</summary>
    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_push_request_errors_array")]
    public static extern void MockPushRequestErrors(IntPtr mcluster, short apiKey, nuint count, ErrorCode[] errors);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_clear_request_errors")]
    public static extern void MockClearRequestErrors(IntPtr mcluster, short apiKey);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_topic_create")]
    private static extern ErrorCode MockTopicCreate(IntPtr mcluster, byte[] topic, int partitionCount, int replicationFactor);

    public static ErrorCode MockTopicCreate(IntPtr mcluster, string topic, int partitionCount, int replicationFactor) =>
        MockTopicCreate(mcluster, CString(topic), partitionCount, replicationFactor);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_partition_set_leader")]
    private static extern ErrorCode MockPartitionSetLeader(IntPtr mcluster, byte[] topic, int partition, int brokerId);

    public static ErrorCode MockPartitionSetLeader(IntPtr mcluster, string topic, int partition, int brokerId) =>
        MockPartitionSetLeader(mcluster, CString(topic), partition, brokerId);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_coordinator_set")]
    private static extern ErrorCode MockCoordinatorSet(IntPtr mcluster, byte[] keyType, byte[] key, int brokerId);

    /// <summary>Sets the coordinator of a consumer group (<paramref name="keyType"/> "group") or transactional id ("transaction").</summary>
    public static ErrorCode MockCoordinatorSet(IntPtr mcluster, string keyType, string key, int brokerId) =>
        MockCoordinatorSet(mcluster, CString(keyType), CString(key), brokerId);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_group_initial_rebalance_delay_ms")]
    public static extern void MockGroupInitialRebalanceDelay(IntPtr mcluster, int delayMs);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_set_group_consumer_heartbeat_interval_ms")]
    public static extern void MockGroupConsumerHeartbeatInterval(IntPtr mcluster, int intervalMs);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_set_group_consumer_session_timeout_ms")]
    public static extern void MockGroupConsumerSessionTimeout(IntPtr mcluster, int timeoutMs);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_mock_set_controller_id")]
    public static extern void MockSetControllerId(IntPtr mcluster, int brokerId);

    [DllImport(Librdkafka, EntryPoint = "rd_kafka_test_fatal_error")]
    private static extern ErrorCode TestFatalError(IntPtr rk, ErrorCode error, byte[] reason);

    /// <summary>Makes librdkafka raise a fabricated fatal error on the client, as its own tests do.</summary>
    public static ErrorCode TestFatalError(IntPtr rk, ErrorCode error, string reason) => TestFatalError(rk, error, CString(reason));

    /// <summary>A NUL-terminated UTF-8 string (the C API's <c>const char *</c>).</summary>
    private static byte[] CString(string value)
    {
        var bytes = new byte[System.Text.Encoding.UTF8.GetByteCount(value) + 1];
        System.Text.Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath) =>
        libraryName == Librdkafka ? s_library.Value : IntPtr.Zero;

    /// <summary>
    /// Finds the librdkafka that Confluent.Kafka loaded. Confluent.Kafka picks one of several builds at run time (on
    /// Debian 12 the default build needs libsasl2.so.3, which is absent, and it falls back to its bundled
    /// centos8-librdkafka.so), so the file cannot be named in advance: on Linux it is the one librdkafka mapped into
    /// this process; elsewhere there is only one build, found the way Confluent.Kafka's own imports find it.
    /// </summary>
    private static IntPtr FindLoadedLibrary()
    {
        // Makes Confluent.Kafka load its native library if no client has been created yet.
        var expectedVersion = Library.Version;
        IntPtr library;
        if (OperatingSystem.IsLinux())
        {
            var mapped = File.ReadLines("/proc/self/maps")
                .Select(line => line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries))
                .Where(fields => fields.Length == 6 && Path.GetFileName(fields[5].Trim()).Contains("librdkafka", StringComparison.Ordinal))
                .Select(fields => fields[5].Trim())
                .Distinct(StringComparer.Ordinal)
                .ToList();
            if (mapped.Count != 1)
            {
                throw new InvalidOperationException(
                    $"Expected exactly one librdkafka mapped into this process after Confluent.Kafka loaded it, found {mapped.Count}" +
                    (mapped.Count == 0 ? "." : $": {string.Join(", ", mapped)}."));
            }
            // Loading a file that is already loaded returns the existing handle; nothing new is mapped.
            library = NativeLibrary.Load(mapped[0]);
        }
        else
        {
            library = NativeLibrary.Load("librdkafka", typeof(Library).Assembly, null);
        }
        if (!NativeLibrary.TryGetExport(library, "rd_kafka_version", out var versionExport) || versionExport == IntPtr.Zero)
        {
            throw new InvalidOperationException("The librdkafka found for fault injection exports no rd_kafka_version.");
        }
        var version = VersionOf(versionExport);
        if (version != expectedVersion)
        {
            throw new InvalidOperationException(
                $"The librdkafka found for fault injection is version {version:x}, but Confluent.Kafka uses {expectedVersion:x}.");
        }
        return library;
    }

    private static int VersionOf(IntPtr export) => Marshal.GetDelegateForFunctionPointer<VersionFunction>(export)();

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int VersionFunction();
}
