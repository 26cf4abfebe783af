//! A round-robin TCP balancer on a free loopback port: each new connection goes to the
//! next backend, as a plain load balancer in front of several API instances would send
//! it. It works below HTTP, so WebSockets and event streams pass through unchanged. For
//! tests only; it stops when dropped.

use crate::sh::Result;
use std::{
    io,
    net::{Shutdown, SocketAddr, TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc,
    },
    thread,
};

pub struct Balancer {
    pub url: String,
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
}

impl Balancer {
    /// `backends` are `http://host:port` URLs.
    pub fn start(backends: &[&str]) -> Result<Balancer> {
        let backends: Vec<SocketAddr> = backends
            .iter()
            .map(|u| u.trim_start_matches("http://").parse().map_err(|e| format!("backend {u}: {e}")))
            .collect::<Result<_>>()?;
        let listener = TcpListener::bind("127.0.0.1:0").map_err(|e| format!("balancer: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        thread::spawn(move || {
            for (n, client) in listener.incoming().enumerate() {
                if stopping.load(Ordering::SeqCst) {
                    break;
                }
                let Ok(client) = client else { continue };
                let backend = backends[n % backends.len()];
                thread::spawn(move || {
                    if let Ok(server) = TcpStream::connect(backend) {
                        pipe(client, server);
                    }
                });
            }
        });
        Ok(Balancer { url: format!("http://{addr}"), addr, stop })
    }
}

/// Copies both ways until either side closes.
fn pipe(client: TcpStream, server: TcpStream) {
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else { return };
    let up = thread::spawn(move || copy(client2, server2));
    copy(server, client);
    let _ = up.join();
}

fn copy(mut from: TcpStream, mut to: TcpStream) {
    let _ = io::copy(&mut from, &mut to);
    // The other direction's read ends too.
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

impl Drop for Balancer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accept loop so it sees the flag.
        let _ = TcpStream::connect(self.addr);
    }
}

#[cfg(test)]
mod tests {
    use super::Balancer;
    use std::{
        io::{Read, Write},
        net::{TcpListener, TcpStream},
        thread,
    };

    /// Two echo servers that prefix their name: connections alternate between them.
    #[test]
    fn connections_take_turns_and_bytes_pass_both_ways() {
        let urls: Vec<String> = ["a", "b"]
            .iter()
            .map(|name| {
                let l = TcpListener::bind("127.0.0.1:0").unwrap();
                let url = format!("http://{}", l.local_addr().unwrap());
                let name = name.to_string();
                thread::spawn(move || {
                    for mut s in l.incoming().map_while(Result::ok) {
                        let mut buf = [0u8; 16];
                        let n = s.read(&mut buf).unwrap_or(0);
                        let _ = s.write_all(format!("{name}:{}", String::from_utf8_lossy(&buf[..n])).as_bytes());
                    }
                });
                url
            })
            .collect();
        let lb = Balancer::start(&[&urls[0], &urls[1]]).unwrap();
        let ask = |what: &str| {
            let mut s = TcpStream::connect(lb.url.trim_start_matches("http://")).unwrap();
            s.write_all(what.as_bytes()).unwrap();
            let mut out = String::new();
            s.read_to_string(&mut out).unwrap();
            out
        };
        assert_eq!([ask("1"), ask("2"), ask("3")], ["a:1", "b:2", "a:3"]);
    }
}
