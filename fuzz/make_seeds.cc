// Writes the seed corpora of fuzz/corpus from real inputs: agent scripts of whole sessions
// (handshake, data, reconfigurations, close) over the agent target's network; the packets,
// SYN payloads and control messages those sessions put on the wire; the golden checker
// traces; the shipped scenario files.
// Usage: dysco-fuzz-make-seeds [CORPUS_DIR]   (default: the source tree's fuzz/corpus)
#include "core/control.h"
#include "core/packet.h"
#include "core/packet_edit.h"
#include "core/policy_message.h"
#include "harness/agent_script.h"
#include "harness/harness.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <set>

namespace fs = std::filesystem;
using namespace dysco;
using namespace dysco::fuzz;

namespace
{

std::vector<std::vector<uint8_t>> g_wire;

void
Tap(const std::vector<uint8_t>& p)
{
    g_wire.push_back(p);
}

void
Write(const fs::path& dir, const std::string& name, const std::vector<uint8_t>& bytes)
{
    fs::create_directories(dir);
    std::ofstream(dir / name, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

std::vector<uint8_t>
Tcp(bool fromClient, uint32_t seq, uint32_t ack, uint8_t flags, size_t len,
    const std::vector<uint8_t>& options = {})
{
    std::vector<uint8_t> payload(len);
    for (size_t i = 0; i < len; ++i)
    {
        payload[i] = uint8_t(seq + i * 7);
    }
    const uint32_t src = fromClient ? kNodeA : kNodeD;
    const uint32_t dst = fromClient ? kNodeD : kNodeA;
    return BuildTcpPacket(src, dst, fromClient ? 5000 : 80, fromClient ? 80 : 5000, seq, ack, flags,
                          65535, options.data(), options.size(), payload.data(), payload.size());
}

/// A whole session between A's and D's stacks, with `middle` run after the first data.
std::vector<uint8_t>
Session(const std::function<void(ScriptWriter&)>& middle, bool sack)
{
    const std::vector<uint8_t> synOptions = {8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 3, 3, 7, 4, 2, 0};
    const uint8_t ack = tcpflag::kAck;
    uint32_t a = 1000;
    uint32_t d = 7000;
    ScriptWriter w;
    w.Packet(0, false, Tcp(true, a, 0, tcpflag::kSyn, 0, synOptions));
    w.Packet(3, false, Tcp(false, d, a + 1, tcpflag::kSyn | ack, 0, synOptions));
    ++a;
    ++d;
    w.Packet(0, false, Tcp(true, a, d, ack, 0));
    for (int round = 0; round < 2; ++round)
    {
        w.Packet(0, false, Tcp(true, a, d, ack | tcpflag::kPsh, 300));
        a += 300;
        std::vector<uint8_t> opts;
        if (sack)
        {
            // A SACK block for bytes beyond what was acked (kind 5, one block, 2 NOPs).
            opts = {1, 1, 5, 10, 0, 0, 0, 0, 0, 0, 0, 0};
            const uint32_t l = a + 100;
            const uint32_t r = a + 200;
            for (int i = 0; i < 4; ++i)
            {
                opts[4 + i] = uint8_t(l >> (24 - 8 * i));
                opts[8 + i] = uint8_t(r >> (24 - 8 * i));
            }
        }
        w.Packet(3, false, Tcp(false, d, a, ack, 0, opts));
        w.Packet(3, false, Tcp(false, d, a, ack | tcpflag::kPsh, 200));
        d += 200;
        w.Packet(0, false, Tcp(true, a, d, ack, 0));
        if (round == 0)
        {
            middle(w);
        }
    }
    w.Packet(0, false, Tcp(true, a, d, ack | tcpflag::kFin, 0));
    w.Packet(3, false, Tcp(false, d, a + 1, ack | tcpflag::kFin, 0));
    w.Packet(0, false, Tcp(true, a + 1, d + 1, ack, 0));
    w.Time(200);
    return w.Bytes();
}

void
CopyFiles(const fs::path& from, const std::string& ext, const fs::path& to)
{
    for (const auto& e : fs::recursive_directory_iterator(from))
    {
        if (e.is_regular_file() && e.path().extension() == ext)
        {
            fs::create_directories(to);
            const std::string name = fs::relative(e.path(), from).string();
            std::string flat = name;
            for (char& c : flat)
            {
                c = c == '/' ? '_' : c;
            }
            fs::copy_file(e.path(), to / flat, fs::copy_options::overwrite_existing);
        }
    }
}

} // namespace

/// Policy distribution datagrams like the policy-server scenarios send: sets of 0..3 policies
/// on one or two types, both strategies, and an ack.
size_t
PolicySeeds(const fs::path& dir)
{
    size_t n = 0;
    for (size_t policies = 0; policies <= 3; ++policies)
    {
        PolicyMessage m;
        m.version = uint32_t(policies + 1);
        m.strategy = PolicyStrategy(policies % 2);
        for (size_t i = 0; i < policies; ++i)
        {
            PolicyEntry e;
            e.name = "policy" + std::to_string(i);
            e.predicate.dst = {0x0A000100, 24};
            e.predicate.dstPorts = {uint16_t(80 + i), uint16_t(80 + i)};
            e.slots = {{0x0A000201, 0x0A000301}};
            if (i % 2 == 1)
            {
                e.slots.push_back({0x0A000401});
            }
            m.policies.push_back(e);
        }
        Write(dir, "update-" + std::to_string(policies), EncodePolicyMessage(m));
        ++n;
    }
    PolicyMessage ack;
    ack.type = PolicyMessageType::kAck;
    ack.version = 3;
    Write(dir, "ack", EncodePolicyMessage(ack));
    return n + 1;
}

int
main(int argc, char** argv)
{
    const fs::path src = fs::path(DYSCO_FUZZ_CORPUS_DIR).parent_path();
    const fs::path out = argc > 1 ? fs::path(argv[1]) : fs::path(DYSCO_FUZZ_CORPUS_DIR) / "corpus";

    const std::vector<std::pair<std::string, std::function<void(ScriptWriter&)>>> cases = {
        {"plain", [](ScriptWriter&) {}},
        {"delete-b", [](ScriptWriter& w) { w.Reconfigure(0, 0), w.Time(3); }},
        {"replace-b-by-c", [](ScriptWriter& w) { w.Reconfigure(0, 1), w.Time(3); }},
        {"insert-c", [](ScriptWriter& w) { w.Reconfigure(0, 2), w.Time(3); }},
        {"b-leaves", [](ScriptWriter& w) { w.Delete(0), w.Time(3); }},
        {"timeouts", [](ScriptWriter& w) { w.Time(255); }},
    };
    SetWireTap(Tap);
    std::set<std::vector<uint8_t>> packets;
    for (size_t i = 0; i < cases.size(); ++i)
    {
        for (bool sack : {false, true})
        {
            const auto script = Session(cases[i].second, sack);
            Write(out / "agent", cases[i].first + (sack ? "-sack" : ""), script);
            g_wire.clear();
            FuzzAgent(script.data(), script.size());
            packets.insert(g_wire.begin(), g_wire.end());
        }
    }
    SetWireTap(nullptr);

    size_t n = 0;
    size_t syn = 0;
    size_t control = 0;
    for (const auto& p : packets)
    {
        const uint8_t* payload = nullptr;
        size_t len = 0;
        const std::string id = std::to_string(n++);
        if (IsControlPacket(p, &payload, &len))
        {
            Write(out / "control", "wire-" + id, p);
            Write(out / "control", "msg-" + id, std::vector<uint8_t>(payload, payload + len));
            ++control;
            continue;
        }
        std::vector<uint8_t> seed = {0, 0, 0, 1, 0, 0, 1, 0}; // parameters: small deltas
        seed.insert(seed.end(), p.begin(), p.end());
        Write(out / "packet", "wire-" + id, seed);
        PacketView v(const_cast<uint8_t*>(p.data()), p.size());
        if (v.Parse() == ParseError::kOk && v.HasFlag(tcpflag::kSyn) && v.PayloadLength() > 0)
        {
            Write(out / "syn_payload", "wire-" + id,
                  std::vector<uint8_t>(v.Payload(), v.Payload() + v.PayloadLength()));
            ++syn;
        }
    }
    const size_t policy = PolicySeeds(out / "policy_message");
    CopyFiles(src / "verification" / "golden", ".trace", out / "trace");
    CopyFiles(src / "scenarios", ".json", out / "scenario");
    std::cout << "seeds: " << cases.size() * 2 << " agent scripts, " << packets.size() - control
              << " packets, " << syn << " SYN payloads, " << control
              << " control packets (+ their payloads), " << policy
              << " policy messages, traces and scenarios -> " << out << "\n";
    return 0;
}
