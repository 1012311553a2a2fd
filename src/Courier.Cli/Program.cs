Console.WriteLine("courier");
